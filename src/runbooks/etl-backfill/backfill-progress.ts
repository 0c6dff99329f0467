import { duration } from '../../format.js';
import type { MergeCursor } from '../../targets/etl/index.js';

/** 3.1 M, 41,200: millions short, the rest exact. */
export function count(n: number): string {
  return n >= 1_000_000 ? `${(n / 1_000_000).toFixed(1)} M` : n.toLocaleString('en-US');
}

/** A look at the listing: when, and how far it was through the source (keys, and 0..1 when known). */
export interface ListingSample {
  at: number;
  listed: number;
  fraction?: number;
}

/** Keys listed a second and the time left, from the looks of the last minute or so. */
export function listingPace(samples: readonly ListingSample[]): { perSecond: number; etaMs?: number } {
  const first = samples[0];
  const last = samples[samples.length - 1];
  if (!first || !last || last.at <= first.at) return { perSecond: 0 };
  const perSecond = ((last.listed - first.listed) / (last.at - first.at)) * 1000;
  if (first.fraction === undefined || last.fraction === undefined || last.fraction <= first.fraction)
    return { perSecond };
  const etaMs = ((1 - last.fraction) * (last.at - first.at)) / (last.fraction - first.fraction);
  return { perSecond, etaMs };
}

/** "listed 3.1 M of the source, 41,200 missing, 12,000 queued · 9,800 keys/s · ETA 4m 10s" */
export function listingText(c: MergeCursor, queued: number, pace: { perSecond: number; etaMs?: number }): string {
  const head = `listed ${count(c.listed)} of the source, ${count(c.missing)} missing, ${count(queued)} queued`;
  if (c.finished) return head;
  const rate = pace.perSecond > 0 ? `${count(Math.round(pace.perSecond))} keys/s` : 'starting';
  const eta = pace.etaMs !== undefined ? `ETA ${duration(pace.etaMs)}` : 'ETA unknown';
  return `${head} · ${rate} · ${eta}`;
}
