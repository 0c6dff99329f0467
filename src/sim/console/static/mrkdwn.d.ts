/** Types of mrkdwn.js, for the tests that run it in Node (the page itself loads the .js). */
export interface MrkdwnContext {
  userName(id: string): string;
  me?: string;
}
export function escapeHtml(s: unknown): string;
export function mrkdwn(text: string, ctx: MrkdwnContext): string;
export function mention(userId: string, ctx: MrkdwnContext): string;
