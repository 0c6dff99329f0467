/** Figures for people: bytes, durations, times. Used by runbooks (notes) and views (cards). */
const UNITS = ['B', 'KB', 'MB', 'GB', 'TB', 'PB'];

/** Bytes in ES's binary units (1 TB here = 1024 GB, as _cat prints "tb"). */
export function formatBytes(bytes: number | undefined): string {
  if (bytes === undefined || !Number.isFinite(bytes)) return '?';
  let v = bytes;
  let u = 0;
  while (Math.abs(v) >= 1024 && u < UNITS.length - 1) {
    v /= 1024;
    u++;
  }
  return `${v >= 100 || u === 0 ? Math.round(v) : v.toFixed(1)} ${UNITS[u]}`;
}

/** 12:04:05 UTC: ops teams span time zones, so times are UTC and say so. */
export function utcTime(ms: number): string {
  return `${new Date(ms).toISOString().slice(11, 19)} UTC`;
}

/** 1h 02m, 3m 05s, 12s. */
export function duration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  if (h) return `${h}h ${String(m).padStart(2, '0')}m`;
  if (m) return `${m}m ${String(s % 60).padStart(2, '0')}s`;
  return `${s}s`;
}

/**
 * Text from outside the bot (cluster data, SSH and git output, log lines, error texts, what a
 * person typed) made literal for Slack's mrkdwn: `<!channel>`, `<@U…>` and `<https://x|y>` are
 * angle-bracket syntax, so Slack's three control characters become entities. Slack shows them as
 * typed, in plain text and in code spans and blocks alike. Applied where such text enters a message.
 * Idempotent (an `&` that already starts one of those entities is left alone), so a runbook's escaped
 * output inside an error text is not escaped twice when the error reaches the card.
 */
export function escapeMrkdwn(text: string): string {
  return text
    .replace(/&(?!amp;|lt;|gt;)/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');
}
