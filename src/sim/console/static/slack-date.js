// Slack's <!date^UNIX^FORMAT|fallback> as Slack shows it: in the reader's own time zone (the
// browser's), "today" / "yesterday" / "tomorrow" for {date_*_pretty}, the date otherwise.
// https://api.slack.com/reference/surfaces/formatting#date-formatting

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

/** The calendar date and clock of `ms` in `timeZone` (undefined: the reader's own). */
function partsOf(ms, timeZone) {
  const f = new Intl.DateTimeFormat('en-US', {
    timeZone,
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    weekday: 'long',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
    hourCycle: 'h23',
  });
  const p = Object.fromEntries(f.formatToParts(new Date(ms)).map((x) => [x.type, x.value]));
  return {
    y: +p.year,
    m: +p.month - 1,
    d: +p.day,
    wd: DAYS.indexOf(p.weekday),
    h: +p.hour % 24,
    min: +p.minute,
    s: +p.second,
  };
}

function ordinal(n) {
  const t = n % 100;
  if (t >= 11 && t <= 13) return `${n}th`;
  return `${n}${['th', 'st', 'nd', 'rd'][n % 10] ?? 'th'}`;
}

/**
 * @param {number} unix seconds since the epoch
 * @param {string} format Slack's tokens: {date_num} {date} {date_short} {date_long} {date_pretty}
 *   {date_short_pretty} {date_long_pretty} {time} {time_secs}; other text stays as written
 * @param {{ now?: number, timeZone?: string }} [opts]
 * @returns {string | undefined} undefined when the format has no token Slack knows (show the fallback)
 */
export function formatSlackDate(unix, format, opts = {}) {
  const ms = Number(unix) * 1000;
  if (!Number.isFinite(ms)) return undefined;
  const t = partsOf(ms, opts.timeZone);
  const n = partsOf(opts.now ?? Date.now(), opts.timeZone);
  const days = Math.round((Date.UTC(t.y, t.m, t.d) - Date.UTC(n.y, n.m, n.d)) / 86_400_000);
  const pretty = days === 0 ? 'today' : days === -1 ? 'yesterday' : days === 1 ? 'tomorrow' : undefined;
  const pad = (v) => String(v).padStart(2, '0');
  const long = `${DAYS[t.wd]}, ${MONTHS[t.m]} ${ordinal(t.d)}, ${t.y}`;
  const plain = `${MONTHS[t.m]} ${ordinal(t.d)}, ${t.y}`;
  const short = `${MONTHS[t.m].slice(0, 3)} ${t.d}, ${t.y}`;
  const tokens = {
    date_num: `${t.y}-${pad(t.m + 1)}-${pad(t.d)}`,
    date: plain,
    date_short: short,
    date_long: long,
    date_pretty: pretty ?? plain,
    date_short_pretty: pretty ?? short,
    date_long_pretty: pretty ?? long,
    time: `${pad(t.h)}:${pad(t.min)}`,
    time_secs: `${pad(t.h)}:${pad(t.min)}:${pad(t.s)}`,
  };
  let known = false;
  const out = String(format).replace(/\{([a-z_]+)\}/g, (whole, name) => {
    if (!(name in tokens)) return whole;
    known = true;
    return tokens[name];
  });
  return known ? out : undefined;
}

/** The inside of a <!date^…|fallback> token → what the reader sees. */
export function renderSlackDate(inner, opts) {
  const [command, fallback = ''] = inner.split('|', 2);
  const [, unix, format = ''] = command.split('^');
  return formatSlackDate(unix, format, opts) ?? fallback;
}
