import { putClusterSetting, putIndexSetting, type Decider } from './decider.js';
import type { MovingCopy, PlanNode } from './placement-model.js';

/** ES's same_shard: never two copies of a shard on one node, nor on one host with `same_shard.host`. */
export const sameShardDecider: Decider = {
  name: 'same_shard',
  denies: (copy, node, ctx) =>
    copy.group.nodes.some((n) => n === node || (ctx.config.sameShardHost && sameHost(n, node))),
  explain: (copy, node) =>
    copy.group.nodes.includes(node)
      ? 'a copy of this shard is already on this node'
      : `a copy of this shard is already on host ${node.row.host} (same_shard.host)`,
  fix: (copy, ctx) =>
    ctx.config.sameShardHost
      ? `add a node on another host, lower the replicas (${replicas(copy)}), or ` +
        putClusterSetting('cluster.routing.allocation.same_shard.host', false)
      : `add a node or lower the replicas: ${replicas(copy)}`,
};

const sameHost = (a: PlanNode, b: PlanNode) => a.row.host === b.row.host || a.row.ip === b.row.ip;

const replicas = (copy: MovingCopy) =>
  putIndexSetting(copy.group.index, 'index.number_of_replicas', Math.max(0, copy.group.copies - 2));
