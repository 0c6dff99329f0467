/** The slash commands the Slack app registers (see slack-app-manifest.yml). */
export const SLASH_COMMANDS = ['/es', '/ops'] as const;
export type Slash = (typeof SLASH_COMMANDS)[number];

/** Every command, typed. The grammar turns text into one of these or a usage error. */
export type Command =
  | { name: 'es.status'; cluster?: string }
  | { name: 'es.settings'; cluster?: string }
  | { name: 'es.drain'; node: string; dryRun: boolean; cleanStale: boolean; cluster?: string }
  | { name: 'es.undrain'; node: string; cluster?: string }
  | { name: 'ops.jobs'; count: number }
  | { name: 'ops.audit'; count: number; run?: string }
  | { name: 'ops.cancel'; run: string }
  | { name: 'help'; slash?: Slash };

export type CommandName = Command['name'];

export type ParseResult =
  | { ok: true; command: Command }
  | { ok: false; error: string; usage: string[] };
