import { awarenessDecider } from './awareness-decider.js';
import type { Decider } from './decider.js';
import { diskDecider, lowFree } from './disk-decider.js';
import { indexFilterDecider } from './index-filter-decider.js';
import type { MovingCopy, PlacementContext, PlanNode } from './placement-model.js';
import { sameShardDecider } from './same-shard-decider.js';
import { shardsLimitDecider } from './shards-limit-decider.js';

/** ES's order: filter, same_shard, disk_threshold, awareness, shards_limit. */
export const DECIDERS: Decider[] = [
  indexFilterDecider,
  sameShardDecider,
  diskDecider,
  awarenessDecider,
  shardsLimitDecider,
];

/** Copies that could go nowhere, grouped by index and by which deciders said no where. */
export interface BlockedGroup {
  index: string;
  /** The first blocked copy: the example named on the card. */
  example: MovingCopy;
  /** For the example: each candidate node and the first decider that refused it. */
  denials: { node: PlanNode; decider: Decider }[];
  copies: number;
  bytes: number;
  /** The nodes these copies are on. */
  from: Set<string>;
  /** Blocked because of the decider alone, on every candidate (the fix to name). */
  deciders: Set<Decider>;
}

export interface PlacementOutcome {
  placed: number;
  placedBytes: number;
  blocked: BlockedGroup[];
}

/**
 * Plans every move as ES would allow it, largest copy first (the one most likely to fit nowhere
 * goes while there is most room), each to the allowed node with the most room left under the low
 * watermark. O(copies × nodes) decider calls, no strings unless a copy is blocked. ES's own
 * balancer picks other targets, so this is an estimate of feasibility, not ES's exact plan; it
 * never calls feasible what a decider forbids.
 */
export function placeCopies(moving: MovingCopy[], ctx: PlacementContext): PlacementOutcome {
  const candidates = ctx.nodes.filter((n) => !n.excluded && !n.leaving);
  const sorted = [...moving].sort((a, b) => b.group.bytes - a.group.bytes);
  const blocked = new Map<string, BlockedGroup>();
  let placed = 0;
  let placedBytes = 0;
  for (const copy of sorted) {
    let best: PlanNode | undefined;
    let bestRoom = -Infinity;
    for (const node of candidates) {
      if (DECIDERS.some((d) => d.denies(copy, node, ctx))) continue;
      const room = node.free - lowFree(node, ctx);
      if (room > bestRoom || (room === bestRoom && best && node.shards < best.shards)) {
        best = node;
        bestRoom = room;
      }
    }
    if (best) {
      move(copy, best);
      placed += 1;
      placedBytes += copy.group.bytes;
    } else {
      recordBlocked(blocked, copy, candidates, ctx);
    }
  }
  return { placed, placedBytes, blocked: [...blocked.values()] };
}

function move(copy: MovingCopy, to: PlanNode): void {
  const { index, bytes } = copy.group;
  to.free -= bytes;
  to.shards += 1;
  to.received += 1;
  to.perIndex.set(index, (to.perIndex.get(index) ?? 0) + 1);
  copy.from.shards -= 1;
  copy.from.perIndex.set(index, (copy.from.perIndex.get(index) ?? 1) - 1);
  copy.group.nodes.push(to);
}

function recordBlocked(
  blocked: Map<string, BlockedGroup>,
  copy: MovingCopy,
  candidates: PlanNode[],
  ctx: PlacementContext,
): void {
  const denials = candidates.map((node) => ({ node, decider: DECIDERS.find((d) => d.denies(copy, node, ctx))! }));
  const deciders = new Set(denials.map((d) => d.decider));
  const key = `${copy.group.index}\u0000${[...deciders]
    .map((d) => d.name)
    .sort()
    .join(',')}`;
  const g = blocked.get(key);
  if (g) {
    g.copies += 1;
    g.bytes += copy.group.bytes;
    g.from.add(copy.from.name);
  } else {
    const from = new Set([copy.from.name]);
    blocked.set(key, {
      index: copy.group.index,
      example: copy,
      denials,
      copies: 1,
      bytes: copy.group.bytes,
      deciders,
      from,
    });
  }
}
