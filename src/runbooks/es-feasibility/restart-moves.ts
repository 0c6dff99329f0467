import { formatBytes } from '../../format.js';
import { usedPercent } from './disk-decider.js';
import type { Feasibility } from './feasibility.js';

/**
 * For a restart plan: each restarted node above the low watermark, said plainly. ES will not put
 * its copies back on it when it returns; they are rebuilt on other nodes (a full copy, not a
 * quick recovery), so the wait after its restart is long.
 */
export function restartMoves(f: Feasibility): string[] {
  return f.ctx.nodes
    .filter((n) => n.leaving)
    .map(
      (n) =>
        `${n.name} is above the low watermark ${f.low} (${usedPercent(n, n.freeBefore)}% used): after its restart ` +
        `ES will not put its ${n.row.shards} copies (${formatBytes(n.row.diskUsedBytes)}) back on it, they are ` +
        'rebuilt on the other nodes, so the wait after it is a full copy; free disk on it first to avoid that',
    );
}
