import { putClusterSetting, putIndexSetting, type Decider } from './decider.js';
import { NO_INDEX_SETTINGS, type MovingCopy, type PlacementContext, type PlanNode } from './placement-model.js';

/** ES's shards_limit: `total_shards_per_node`, per index and for the whole cluster (-1: none). */
export const shardsLimitDecider: Decider = {
  name: 'shards_limit',
  denies: (copy, node, ctx) => indexFull(copy, node, ctx) || clusterFull(node, ctx),
  explain: (copy, node, ctx) =>
    indexFull(copy, node, ctx)
      ? `the node already holds ${node.perIndex.get(copy.group.index) ?? 0} copies of the index ` +
        `(index.routing.allocation.total_shards_per_node=${indexLimit(copy, ctx)})`
      : `the node already holds ${node.shards} copies ` +
        `(cluster.routing.allocation.total_shards_per_node=${ctx.config.totalShardsPerNode})`,
  fix(copy, ctx) {
    const targets = ctx.nodes.filter((n) => !n.excluded).length || 1;
    const limit = indexLimit(copy, ctx);
    if (limit >= 0) {
      const copies = copy.group.copies * shardCount(copy, ctx);
      const needed = Math.max(limit + 1, Math.ceil(copies / targets));
      return putIndexSetting(copy.group.index, 'index.routing.allocation.total_shards_per_node', needed);
    }
    const all = ctx.nodes.reduce((s, n) => s + n.shards, 0);
    const needed = Math.max(ctx.config.totalShardsPerNode + 1, Math.ceil(all / targets) + 1);
    return putClusterSetting('cluster.routing.allocation.total_shards_per_node', needed);
  },
};

const indexLimit = (copy: MovingCopy, ctx: PlacementContext) =>
  (ctx.indices[copy.group.index] ?? NO_INDEX_SETTINGS).totalShardsPerNode;

const indexFull = (copy: MovingCopy, node: PlanNode, ctx: PlacementContext) => {
  const limit = indexLimit(copy, ctx);
  return limit >= 0 && (node.perIndex.get(copy.group.index) ?? 0) + 1 > limit;
};

const clusterFull = (node: PlanNode, ctx: PlacementContext) =>
  ctx.config.totalShardsPerNode >= 0 && node.shards + 1 > ctx.config.totalShardsPerNode;

/** Shards of the index (primaries), counted over the nodes' per-index tallies. */
function shardCount(copy: MovingCopy, ctx: PlacementContext): number {
  const copies = ctx.nodes.reduce((s, n) => s + (n.perIndex.get(copy.group.index) ?? 0), 0);
  return Math.max(1, Math.round(copies / copy.group.copies));
}
