import type { EtlTargets } from '../../targets/etl/index.js';

/**
 * How many messages a queue holds, by order of magnitude: the workers take messages all the
 * time, so the exact count changes by itself, but a queue that held tens and now holds tens of
 * thousands (someone else's backfill) is another plan.
 */
export function depthBand(n: number): string {
  if (n <= 0) return 'empty';
  const low = 10 ** Math.floor(Math.log10(n));
  return `${low.toLocaleString('en-US')}–${(low * 10 - 1).toLocaleString('en-US')} messages`;
}

/** The facts an approval of a backfill is bound to: the work queue exists, and its depth band. */
export async function backfillFacts(etl: EtlTargets, queue: string): Promise<Record<string, string>> {
  const d = await etl.queues.queueDepth(queue);
  return { [`queue ${queue}`]: d.exists ? depthBand(d.visible + d.inFlight) : 'missing' };
}
