/**
 * Times on cards and in threads, for readers in many time zones. Slack formats
 * `<!date^UNIX^FORMAT|FALLBACK>` in each reader's own zone: `{date_short_pretty}` reads "today",
 * "yesterday" or "Dec 3", so a day-long drain's finish or a 7-day revert offer is unambiguous.
 * The fallback (notifications, clients that cannot format) is the moment in UTC, ISO order.
 * Durations are not times: they stay as `duration()` writes them.
 */
export function slackTime(ms: number, format = '{date_short_pretty} {time}'): string {
  return `<!date^${Math.round(ms / 1000)}^${format}|${isoUtc(ms)}>`;
}

/** 2026-12-01 15:04 UTC: the fallback text, and what a reader without Slack's formatting sees. */
export function isoUtc(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}
