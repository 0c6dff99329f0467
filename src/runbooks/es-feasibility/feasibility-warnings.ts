import { formatBytes } from '../../format.js';
import { blockedText } from './blocked-text.js';
import type { Feasibility } from './feasibility.js';

/**
 * What is worth knowing but does not block. "Tight" means: the plan completes, but a target ends
 * above the low watermark, so ES puts nothing more on it (new indices' replicas included) and any
 * growth of its shards past the high watermark makes ES move shards off it again.
 */
export function feasibilityWarnings(f: Feasibility): string[] {
  const out: string[] = [];
  if (f.tight.length) {
    const nodes = f.tight.map((t) => `${t.node} (${t.usedPercent}% used)`).join(', ');
    out.push(
      `tight: ${nodes} would end above the low watermark ${f.low}: ES then allocates nothing more there ` +
        `(new indices' replicas included), and growth past the high watermark ${f.high} makes ES move shards ` +
        'off again; add a data node or free disk first if the cluster is still growing',
    );
  }
  if (f.largest && f.largest.fitsOn === 1 && !f.blocked.length)
    out.push(
      `tight: the largest shard, ${f.largest.shard} (${formatBytes(f.largest.bytes)}), fits on one node only ` +
        'under the watermarks',
    );
  for (const g of f.alreadyStuck.slice(0, 3))
    out.push(`already stuck before this plan (not blocking it): ${blockedText(g, f.ctx)}`);
  return out;
}
