import {
  clusterAllocationConfig,
  filterReasons,
  type AllocationFacts,
  type SettingsWithDefaults,
} from '../../targets/elasticsearch/index.js';
import { highFree, lowFree, usedPercent } from './disk-decider.js';
import type { Feasibility } from './feasibility.js';
import { indexNodes } from './index-filter-decider.js';
import { placeCopies } from './place-copies.js';
import { buildPlacement, type MovingCopy, type PlacementContext, type PlanNode } from './placement-model.js';

/**
 * `/es drain`, `/es exclude-zone`, maintain's `--exclude-spot`: `after` is the cluster settings
 * as the plan's write leaves them. Every copy on a node those settings exclude must move; copies
 * on nodes excluded before the plan are placed first (ES moves them too) and reported apart.
 */
export function judgeExclusion(facts: AllocationFacts, after: SettingsWithDefaults): Feasibility {
  const before = clusterAllocationConfig(facts.settings).filters;
  const { ctx, leavingCopies } = buildPlacement(facts, clusterAllocationConfig(after));
  const old = (c: MovingCopy) => filterReasons(c.from.row, before).length > 0;
  return judge(
    ctx,
    leavingCopies.filter((c) => !old(c)),
    leavingCopies.filter(old),
  );
}

/**
 * `/es rolling-restart`, `/es bounce`: a restarted node gets its copies back only when it is under
 * the low watermark (ES allocates no replica to a node above it, returning ones included). The
 * copies of restarted nodes above it must be rebuilt elsewhere, one node after the other.
 */
export function judgeRestart(facts: AllocationFacts, restarting: readonly string[]): Feasibility {
  const config = clusterAllocationConfig(facts.settings);
  const names = new Set(restarting);
  const { ctx, leavingCopies } = buildPlacement(
    facts,
    config,
    (n) => names.has(n.name) && config.diskThresholdEnabled && n.free < config.low.requiredFree(n.total),
  );
  return judge(ctx, leavingCopies, []);
}

function judge(ctx: PlacementContext, moving: MovingCopy[], alreadyLeaving: MovingCopy[]): Feasibility {
  const targets = ctx.nodes.filter((n) => !n.excluded && !n.leaving);
  const roomUnderLowBytes = targets.reduce((s, n) => s + Math.max(0, n.freeBefore - lowFree(n, ctx)), 0);
  const largest = largestFit(moving, targets, ctx);
  const stuck = placeCopies(alreadyLeaving, ctx).blocked;
  const outcome = placeCopies(moving, ctx);
  const received = targets.filter((n) => n.received > 0);
  const tight = received
    .filter((n) => n.free < lowFree(n, ctx))
    .map((n) => ({ node: n.name, usedPercent: usedPercent(n, n.free) }));
  const fullest = received
    .map((n) => ({ node: n.name, usedPercent: usedPercent(n, n.free) }))
    .sort((a, b) => b.usedPercent - a.usedPercent)[0];
  return {
    moving: {
      copies: moving.length,
      bytes: moving.reduce((s, c) => s + c.group.bytes, 0),
      nodes: [...new Set(moving.map((c) => c.from.name))],
    },
    targets: targets.length,
    roomUnderLowBytes,
    ...(largest ? { largest } : {}),
    blocked: outcome.blocked,
    alreadyStuck: stuck,
    tight,
    ...(fullest ? { fullest } : {}),
    low: ctx.config.low.describe(),
    high: ctx.config.high.describe(),
    ctx,
  };
}

/** The largest copy that must move, and on how many targets it fits at all (disk and the index's filters). */
function largestFit(moving: MovingCopy[], targets: PlanNode[], ctx: PlacementContext): Feasibility['largest'] {
  const copy = moving.reduce<MovingCopy | undefined>(
    (m, c) => (!m || c.group.bytes > m.group.bytes ? c : m),
    undefined,
  );
  if (!copy) return undefined;
  const allowed = indexNodes(copy.group.index, ctx);
  const fitsOn = targets.filter(
    (n) =>
      allowed.has(n) &&
      (!ctx.config.diskThresholdEnabled ||
        (n.freeBefore >= lowFree(n, ctx) && n.freeBefore - copy.group.bytes >= highFree(n, ctx))),
  ).length;
  return { shard: `${copy.group.index}[${copy.group.shard}]`, bytes: copy.group.bytes, fitsOn };
}
