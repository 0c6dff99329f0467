import type { SpotEvent } from '../../targets/spotmanager/index.js';

/** One SpotManager run as the pace needs it: when, and how much utility it still needed. */
export interface RunSample {
  at: number;
  needed: number;
  /** It logged "No more pending spot requests": nothing it asked for is still coming. */
  settled: boolean;
}

/** The runs in these events that logged their utility line, oldest first. */
export function runSamples(events: readonly SpotEvent[]): RunSample[] {
  const out: RunSample[] = [];
  let current: RunSample | undefined;
  for (const e of events) {
    if (e.kind === 'pricing') {
      current = undefined;
      continue;
    }
    if (e.kind === 'utility' && e.at !== undefined && !current) {
      current = { at: e.at, needed: e.needed, settled: false };
      out.push(current);
    } else if (e.kind === 'no-pending' && current) current.settled = true;
  }
  return out;
}

const wants = (s: RunSample) => s.needed > 0 || !s.settled;

/**
 * How long SpotManager took to come up before: each stretch of runs from the first one that
 * needed utility (or waited for its requests) to the first that needed nothing more and had
 * nothing pending. Only come-ups that ended count.
 */
export function comeUpTimes(samples: readonly RunSample[]): number[] {
  const out: number[] = [];
  let start: number | undefined;
  for (const s of samples) {
    if (wants(s)) start ??= s.at;
    else if (start !== undefined) {
      out.push(s.at - start);
      start = undefined;
    }
  }
  return out;
}

/** Where the come-up under way began: its first run that wanted something, if it still wants. */
export function comeUpStart(samples: readonly RunSample[]): number | undefined {
  let start: number | undefined;
  for (const s of samples) start = wants(s) ? (start ?? s.at) : undefined;
  return start;
}

export interface Expectation {
  /** Milliseconds still to go (0: it should have what it wants by now). */
  leftMs: number;
  /** The come-up times it is based on (ms), the one in the middle first. */
  typicalMs: number;
  basedOn: number;
}

/**
 * The expected time until SpotManager has what it wants: the median of its past come-ups
 * (`history`: from its log before this deploy and since), less the time this come-up has run.
 * Undefined without a past come-up to go by.
 */
export function expectedLeft(history: readonly number[], startedAt: number, now: number): Expectation | undefined {
  if (!history.length) return undefined;
  const sorted = [...history].sort((a, b) => a - b);
  const typicalMs = sorted[Math.floor((sorted.length - 1) / 2)]!;
  return { leftMs: Math.max(0, typicalMs - (now - startedAt)), typicalMs, basedOn: history.length };
}
