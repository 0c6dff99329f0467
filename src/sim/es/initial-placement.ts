import type { Rng } from './rng.js';
import type { RoutingState } from './routing-state.js';
import type { IndexMeta, SimNode } from './types.js';

/** Placement keeps every disk under ES's default low watermark when it can. */
const LOW_WATERMARK_RATIO = 0.85;

/**
 * Puts every copy of an index straight into STARTED, as on a cluster that has been running for
 * a while and is balanced the way ES balances: by shard count, within the disk watermarks. Each
 * copy goes to one of the nodes with the fewest copies that holds none of the same shard and
 * stays under the low watermark (else to the emptiest disk), chosen with the seeded generator.
 * Copies with nowhere to go stay UNASSIGNED.
 */
export function placeStarted(state: RoutingState, meta: IndexMeta, rng: Rng): void {
  const nodes = state.aliveDataNodes();
  for (const group of meta.groups) {
    const used = new Set<SimNode>();
    for (const copy of group.copies) {
      const target = bestByCount(nodes, used, group.size, rng) ?? emptiestDisk(nodes, used, group.size);
      if (!target) continue;
      used.add(target);
      state.mutate(copy, () => {
        copy.state = 'STARTED';
        copy.nodeId = target.id;
        copy.unassigned = null;
      });
      group.everAllocated = true;
    }
  }
}

function ratioAfter(node: SimNode, size: number): number {
  return (node.settledBytes + size) / Math.max(1, node.diskTotal);
}

/** A random one of the least loaded nodes: copies of different shards must not pair up on the same nodes. */
function bestByCount(nodes: SimNode[], used: Set<SimNode>, size: number, rng: Rng): SimNode | null {
  let fewest = Number.POSITIVE_INFINITY;
  let ties: SimNode[] = [];
  for (const node of nodes) {
    if (used.has(node) || ratioAfter(node, size) > LOW_WATERMARK_RATIO) continue;
    if (node.routingCount < fewest) {
      fewest = node.routingCount;
      ties = [node];
    } else if (node.routingCount === fewest) ties.push(node);
  }
  return ties.length === 0 ? null : rng.pick(ties);
}

function emptiestDisk(nodes: SimNode[], used: Set<SimNode>, size: number): SimNode | null {
  let best: SimNode | null = null;
  for (const node of nodes) {
    if (!used.has(node) && (!best || ratioAfter(node, size) < ratioAfter(best, size))) best = node;
  }
  return best;
}
