/** Types of slack-date.js, for the tests that run it in Node (the page itself loads the .js). */
export interface SlackDateOptions {
  /** "Now", for today/yesterday (default: the clock). */
  now?: number;
  /** IANA zone (default: the reader's own). */
  timeZone?: string;
}
export function formatSlackDate(unix: number | string, format: string, opts?: SlackDateOptions): string | undefined;
export function renderSlackDate(inner: string, opts?: SlackDateOptions): string;
