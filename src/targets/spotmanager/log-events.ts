/**
 * SpotManager's log, line by line, as structured events. Format (FACTS): `<utc datetime> - <message>`,
 * warnings prefixed `WARNING: `. The messages are the ones SpotManager writes while it comes up
 * and when it is in trouble; anything else is kept as `other`.
 */

interface Base {
  at?: number;
  line: string;
  level: 'info' | 'warning' | 'error';
  detail?: string[];
}

export type SpotEvent = Base &
  (
    | { kind: 'pricing' }
    | { kind: 'pricing-processed' }
    | { kind: 'exposure'; exposure: number; current: number }
    | { kind: 'utility'; running: number; needed: number }
    | { kind: 'request'; count: number; instanceType: string; zone: string; utility: number; price: number }
    | { kind: 'waiting'; requests: string[] }
    | { kind: 'setup'; instance: string }
    | { kind: 'no-pending' }
    | { kind: 'shutdown'; instances: string[]; toSaveMoney: boolean }
    | { kind: 'cannot-fund'; utility: number; maxPrice: number; remainingBudget: number }
    | { kind: 'setup-timeout'; instance: string }
    | { kind: 'request-failed'; instanceType: string; reason: string }
    | { kind: 'startup-failure' }
    | { kind: 'already-running' }
    | { kind: 'other'; message: string }
  );

export type SpotEventKind = SpotEvent['kind'];

/** Kinds that mean trouble whatever their level: an operator should look. */
const TROUBLE: ReadonlySet<SpotEventKind> = new Set([
  'cannot-fund',
  'setup-timeout',
  'request-failed',
  'startup-failure',
]);

export function isTrouble(e: SpotEvent): boolean {
  return e.level !== 'info' || TROUBLE.has(e.kind);
}

const NUM = '(-?\\d+(?:\\.\\d+)?)';
const ids = (list: string) =>
  list
    .split(',')
    .map((s) => s.trim().replace(/^u?["']|["']$/g, ''))
    .filter(Boolean);

type Parsed = Omit<SpotEvent, keyof Base> & Partial<Base>;

/** Message patterns, first match wins; each turns the captured numbers into the event's fields. */
const PATTERNS: { re: RegExp; make: (m: RegExpExecArray) => Parsed }[] = [
  { re: /^Get pricing from AWS/, make: () => ({ kind: 'pricing' }) },
  { re: /processing pricing data/, make: () => ({ kind: 'pricing-processed' }) },
  {
    re: new RegExp(`^Total Exposure: \\$${NUM}/hour \\(current price: \\$${NUM}/hour\\)`),
    make: (m) => ({ kind: 'exposure', exposure: +m[1]!, current: +m[2]! }),
  },
  {
    re: new RegExp(`^have ${NUM} utility running; need ${NUM} more utility`),
    make: (m) => ({ kind: 'utility', running: +m[1]!, needed: +m[2]! }),
  },
  {
    re: new RegExp(`^Request ${NUM} instance (\\S+) in (\\S+) with utility ${NUM} at \\$${NUM}/hour`),
    make: (m) => ({ kind: 'request', count: +m[1]!, instanceType: m[2]!, zone: m[3]!, utility: +m[4]!, price: +m[5]! }),
  },
  { re: /^waiting for spot requests: \[(.*)\]/, make: (m) => ({ kind: 'waiting', requests: ids(m[1]!) }) },
  { re: /^setup (\S+)/, make: (m) => ({ kind: 'setup', instance: m[1]! }) },
  { re: /^No more pending spot requests/, make: () => ({ kind: 'no-pending' }) },
  {
    re: /^Shutdown \[(.*)\]( to save money!)?/,
    make: (m) => ({ kind: 'shutdown', instances: ids(m[1]!), toSaveMoney: !!m[2] }),
  },
  {
    re: new RegExp(
      `^Can not fund ${NUM} more utility \\(all utility costs more ` +
        `than \\$${NUM}/hour\\)\\.\\s+Remaining budget is \\$${NUM}`,
    ),
    make: (m) => ({ kind: 'cannot-fund', utility: +m[1]!, maxPrice: +m[2]!, remainingBudget: +m[3]! }),
  },
  {
    re: /^Problem with setup of (\S+?)\.\s+Time is up\.\s+Instance TERMINATED!/,
    make: (m) => ({ kind: 'setup-timeout', instance: m[1]! }),
  },
  {
    re: /^Request instance (\S+) failed because (.*)$/,
    make: (m) => ({ kind: 'request-failed', instanceType: m[1]!, reason: m[2]!.trim() }),
  },
  { re: /^Unexpected failure on startup/, make: () => ({ kind: 'startup-failure' }) },
  { re: /^Another instance is already running, quitting\./, make: () => ({ kind: 'already-running' }) },
];

/** `2016-01-12 23:11:21 - message` (a `T`, fractions of a second or a `Z` also accepted). */
const STAMPED = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})(?:[.,]\d+)?Z? - (.*)$/;

/** One line; undefined for a line without a timestamp (a continuation of the previous one). */
export function parseLine(line: string): SpotEvent | undefined {
  const m = STAMPED.exec(line);
  if (!m) return undefined;
  const at = Date.parse(`${m[1]}T${m[2]}Z`);
  let message = m[3]!;
  let level: Base['level'] = 'info';
  const prefix = /^(WARNING|ERROR|ALERT):\s*/.exec(message);
  if (prefix) {
    level = prefix[1] === 'WARNING' ? 'warning' : 'error';
    message = message.slice(prefix[0].length);
  }
  for (const p of PATTERNS) {
    const hit = p.re.exec(message);
    if (hit) return { ...p.make(hit), at, line, level } as SpotEvent;
  }
  return { kind: 'other', message, at, line, level };
}

/** The log's lines as events; unstamped lines (tracebacks, causes) join the event before them. */
export function parseLog(lines: readonly string[]): SpotEvent[] {
  const out: SpotEvent[] = [];
  for (const line of lines) {
    if (!line.trim()) continue;
    const e = parseLine(line);
    if (e) {
      out.push(e);
      continue;
    }
    const last = out[out.length - 1];
    if (last) (last.detail ??= []).push(line);
  }
  return out;
}

/** What one SpotManager run said: the numbers of its comes-up lines and its trouble. */
export interface RunSummary {
  startedAt?: number;
  lastAt?: number;
  exposure?: number;
  currentPrice?: number;
  utilityRunning?: number;
  utilityNeeded?: number;
  /** Instances requested in this run (sum of the Request lines). */
  requested: number;
  setups: string[];
  /** "No more pending spot requests" seen: the run finished its watch. */
  settled: boolean;
  /** A second run found the lock and quit. */
  skipped: boolean;
  trouble: SpotEvent[];
}

/** The last run in the events: from its last "Get pricing from AWS" (or a lone "already running"). */
export function lastRun(events: readonly SpotEvent[]): RunSummary | undefined {
  if (!events.length) return undefined;
  let start = -1;
  for (let i = events.length - 1; i >= 0; i--) {
    if (events[i]!.kind === 'pricing') {
      start = i;
      break;
    }
  }
  const last = events[events.length - 1]!;
  if (start < 0 && last.kind !== 'already-running') start = 0;
  const run = start < 0 ? [last] : events.slice(start);
  const s: RunSummary = { requested: 0, setups: [], settled: false, skipped: start < 0, trouble: [] };
  if (run[0]?.at !== undefined) s.startedAt = run[0].at;
  const lastAt = run[run.length - 1]?.at;
  if (lastAt !== undefined) s.lastAt = lastAt;
  for (const e of run) {
    if (e.kind === 'exposure') {
      s.exposure = e.exposure;
      s.currentPrice = e.current;
    } else if (e.kind === 'utility') {
      s.utilityRunning = e.running;
      s.utilityNeeded = e.needed;
    } else if (e.kind === 'request') s.requested += e.count;
    else if (e.kind === 'setup') s.setups.push(e.instance);
    else if (e.kind === 'no-pending') s.settled = true;
    if (isTrouble(e)) s.trouble.push(e);
  }
  return s;
}
