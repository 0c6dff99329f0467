/**
 * Byte sizes and durations written and read the way Elasticsearch does (ByteSizeValue,
 * TimeValue), so `_cat` columns and decider explanations match real output character for
 * character: "1.9gb" is a truncated, not rounded, single decimal.
 */

const KB = 1024;
const UNITS: Array<[string, number]> = [
  ['pb', KB ** 5],
  ['tb', KB ** 4],
  ['gb', KB ** 3],
  ['mb', KB ** 2],
  ['kb', KB],
];

/** Strings.format1Decimals: one decimal, truncated, dropped when it is 0. */
export function format1Decimals(value: number, suffix: string): string {
  const p = String(value);
  const dot = p.indexOf('.');
  if (dot < 0 || p.includes('e')) return `${Math.trunc(value)}${suffix}`;
  const fraction = p.charAt(dot + 1);
  return fraction === '0' ? `${p.slice(0, dot)}${suffix}` : `${p.slice(0, dot + 1)}${fraction}${suffix}`;
}

/** ByteSizeValue.toString(). */
export function formatBytes(bytes: number): string {
  const b = Math.floor(bytes);
  for (const [suffix, size] of UNITS) {
    if (b >= size) return format1Decimals(b / size, suffix);
  }
  return `${b}b`;
}

/** The `bytes=` request parameter of `_cat` APIs: whole units, truncated. */
export function formatBytesIn(bytes: number, unit: string | undefined): string {
  const b = Math.floor(bytes);
  const divisors: Record<string, number> = {
    b: 1,
    k: KB,
    kb: KB,
    m: KB ** 2,
    mb: KB ** 2,
    g: KB ** 3,
    gb: KB ** 3,
    t: KB ** 4,
    tb: KB ** 4,
    p: KB ** 5,
    pb: KB ** 5,
  };
  const divisor = unit === undefined ? undefined : divisors[unit];
  return divisor === undefined ? formatBytes(b) : String(Math.floor(b / divisor));
}

/**
 * ByteSizeValue.parseBytesSizeValue. Throws the message ES puts in its illegal_argument_exception.
 * Returns -1 for "-1" (ES's "unbounded").
 */
export function parseBytes(value: string, settingName: string): number {
  const v = value.trim().toLowerCase();
  if (v === '-1') return -1;
  if (v === '0') return 0;
  const m = /^(\d+(?:\.\d+)?)\s*(b|k|kb|m|mb|g|gb|t|tb|p|pb)$/.exec(v);
  if (!m) {
    throw new Error(
      `failed to parse setting [${settingName}] with value ` +
        `[${value}] as a size in bytes: unit is missing or unrecognized`,
    );
  }
  const n = Number(m[1]);
  const unit = m[2] ?? 'b';
  const mult: Record<string, number> = {
    b: 1,
    k: KB,
    kb: KB,
    m: KB ** 2,
    mb: KB ** 2,
    g: KB ** 3,
    gb: KB ** 3,
    t: KB ** 4,
    tb: KB ** 4,
    p: KB ** 5,
    pb: KB ** 5,
  };
  return Math.floor(n * (mult[unit] ?? 1));
}

/** TimeValue.toString() for a millisecond duration: "0s", "13ms", "1.5m", "2h". */
export function formatDuration(ms: number): string {
  if (ms < 0) return String(Math.trunc(ms));
  if (ms === 0) return '0s';
  const steps: Array<[number, string]> = [
    [86_400_000, 'd'],
    [3_600_000, 'h'],
    [60_000, 'm'],
    [1000, 's'],
    [1, 'ms'],
  ];
  for (const [size, suffix] of steps) {
    if (ms >= size) return formatDecimal(ms / size) + suffix;
  }
  return `${Math.round(ms * 1000)}micros`;
}

/** TimeValue.formatDecimal with one fraction piece: "1.0" becomes "1", "1.25" becomes "1.2". */
function formatDecimal(value: number): string {
  const p = String(value);
  const dot = p.indexOf('.');
  if (dot < 0) return p;
  const fraction = p.charAt(dot + 1);
  return fraction === '0' ? p.slice(0, dot) : `${p.slice(0, dot + 1)}${fraction}`;
}

/** The `time=` request parameter of `_cat` APIs. */
export function formatDurationIn(ms: number, unit: string | undefined): string {
  const divisors: Record<string, number> = {
    nanos: 1e-6,
    micros: 1e-3,
    ms: 1,
    s: 1000,
    m: 60_000,
    h: 3_600_000,
    d: 86_400_000,
  };
  const divisor = unit === undefined ? undefined : divisors[unit];
  return divisor === undefined ? formatDuration(ms) : String(Math.floor(ms / divisor));
}

/** Java's String.format("%1.1f%%"). */
export function formatPercent(value: number): string {
  return `${value.toFixed(1)}%`;
}

/**
 * TimeValue.parseTimeValue for settings such as delayed_timeout: "1m", "30s", "500ms", "0".
 */
export function parseDuration(value: string, settingName: string): number {
  const v = value.trim().toLowerCase();
  if (v === '-1') return -1;
  if (v === '0') return 0;
  const m = /^(\d+(?:\.\d+)?)(nanos|micros|ms|s|m|h|d)$/.exec(v);
  if (!m)
    throw new Error(
      `failed to parse setting [${settingName}] with value [${value}] as a time value: unit is missing or unrecognized`,
    );
  const mult: Record<string, number> = {
    nanos: 1e-6,
    micros: 1e-3,
    ms: 1,
    s: 1000,
    m: 60_000,
    h: 3_600_000,
    d: 86_400_000,
  };
  return Number(m[1]) * (mult[m[2] ?? 'ms'] ?? 1);
}

/** ISO-8601 as ES prints instants: 2016-01-05T10:00:00.000Z. */
export function formatInstant(epochMs: number): string {
  return new Date(epochMs).toISOString();
}
