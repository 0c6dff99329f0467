import { duration } from '../../format.js';
import type { RunSummary, SpotEvent } from '../../runbooks/index.js';
import { escapeMrkdwn } from './blocks.js';
import { slackTime } from './slack-time.js';

/** $1.00/hour; small amounts keep their precision ($0.0528/hour). */
export function perHour(n: number | undefined): string {
  if (n === undefined) return 'unknown';
  const two = n.toFixed(2);
  return `$${Number(two) === n ? two : String(Math.round(n * 10_000) / 10_000)}/hour`;
}

/** The moment in the reader's time zone, and how long ago: "today 12:04 (3m 10s ago)". */
export function whenAgo(at: number | undefined, now: number): string {
  if (at === undefined) return 'unknown time';
  return `${slackTime(at)} (${duration(now - at)} ago)`;
}

/** A log line for a card: clipped, escaped, in code. */
export function logLine(e: SpotEvent, max = 180): string {
  const line = e.line.length > max ? `${e.line.slice(0, max)}…` : e.line;
  return `\`${escapeMrkdwn(line)}\``;
}

/** The numbers of SpotManager's last run, for fields. */
export function lastRunFields(r: RunSummary | undefined, now: number): string[] {
  if (!r) return ['*Last run*\nno run in its log yet'];
  if (r.skipped) return [`*Last run*\n${whenAgo(r.startedAt, now)}: another instance was still running, so it quit`];
  return [
    `*Last run*\n${whenAgo(r.startedAt, now)}${r.settled ? ', settled' : ''}`,
    `*Exposure*\n${perHour(r.exposure)} (current price ${perHour(r.currentPrice)})`,
    `*Utility*\n${r.utilityRunning ?? '?'} running; need ${r.utilityNeeded ?? '?'} more`,
    `*Requests made*\n${r.requested}${r.setups.length ? `; ${r.setups.length} set up` : ''}`,
    `*Errors*\n${r.trouble.length ? `:warning: ${r.trouble.length}` : 'none'}`,
  ];
}
