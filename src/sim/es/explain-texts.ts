import type { DeciderContext } from './deciders.js';
import type { Decision, ShardCopy } from './types.js';

/** The sentences ES 8 puts in allocation explanations (cluster/routing/allocation/Explanations.java). */
export const ALLOCATE = {
  YES: 'Elasticsearch can allocate the shard.',
  THROTTLED:
    'Elasticsearch is currently busy with other activities. It expects to be ' +
    'able to allocate this shard when those activities finish. Please wait.',
  NO_COPIES:
    "Elasticsearch can't allocate this shard because there are no copies of its data in the " +
    'cluster. Elasticsearch will allocate this shard when a node holding a good copy of its data ' +
    'joins the cluster. If no such node is available, restore this index from a recent snapshot.',
  DELAYED_WITH_ALTERNATIVE:
    'The node containing this shard copy recently left the cluster. Elasticsearch ' +
    'is waiting for it to return. If the node does not return within [%s] ' +
    'then Elasticsearch will allocate this shard to another node. Please wait.',
  DELAYED_WITHOUT_ALTERNATIVE:
    'The node holding this shard copy recently left the cluster. Elasticsearch is waiting for it to ' +
    'return. If the node does not return within [%s] then Elasticsearch will attempt to allocate this ' +
    'shard to another node, but it cannot be allocated to any other node currently in the cluster. ' +
    'If you expect this shard to be allocated to another node, find this node in the node-by-node ' +
    'explanation and address the reasons which prevent Elasticsearch from allocating this shard there.',
  EXISTING_STORES_FORBIDDEN:
    "Elasticsearch isn't allowed to allocate this shard to any of the nodes in the " +
    'cluster that hold an in-sync copy of its data. Choose a node to which you expect ' +
    'this shard to be allocated, find this node in the node-by-node explanation, and ' +
    'address the reasons which prevent Elasticsearch from allocating this shard there.',
  ALL_NODES_FORBIDDEN:
    "Elasticsearch isn't allowed to allocate this shard to any of the nodes in the cluster. Choose " +
    'a node to which you expect this shard to be allocated, find this node in the node-by-node ' +
    'explanation, and address the reasons which prevent Elasticsearch from allocating this shard there.',
};

export const REBALANCE = {
  YES: 'Elasticsearch can rebalance this shard to another node.',
  ALREADY_BALANCED:
    'This shard is in a well-balanced location and satisfies all allocation rules so it will remain ' +
    'on this node. Elasticsearch cannot improve the cluster balance by moving it to another node. If ' +
    'you expect this shard to be rebalanced to another node, find the other node in the node-by-node ' +
    'explanation and address the reasons which prevent Elasticsearch from rebalancing this shard there.',
  CLUSTER_THROTTLE:
    'Elasticsearch is currently busy with other activities. It will ' +
    'rebalance this shard when those activities finish. Please wait.',
  CANNOT_REBALANCE_CAN_ALLOCATE:
    "Elasticsearch is allowed to allocate this shard to another node but it isn't " +
    'allowed to rebalance the shard there. If you expect this shard to be rebalanced ' +
    'to another node, find this node in the node-by-node explanation and address ' +
    'the reasons which prevent Elasticsearch from rebalancing this shard there.',
  CANNOT_REBALANCE_CANNOT_ALLOCATE:
    'Elasticsearch is not allowed to allocate or rebalance this shard to another node. If you ' +
    'expect this shard to be rebalanced to another node, find this node in the node-by-node explanation ' +
    'and address the reasons which prevent Elasticsearch from rebalancing this shard there.',
};

export const MOVE = {
  YES: 'This shard may not remain on its current node. Elasticsearch will move it to another node.',
  THROTTLED:
    'This shard may not remain on its current node. Elasticsearch is currently busy with other ' +
    'activities and will move this shard to another node when those activities finish. Please wait.',
  NO:
    "This shard may not remain on its current node, but Elasticsearch isn't allowed to move it to another " +
    'node. Choose a node to which you expect this shard to be allocated, find this node in the node-by-node ' +
    'explanation, and address the reasons which prevent Elasticsearch from allocating this shard there.',
};

export const NO_SHARD_SPECIFIED =
  'No shard was specified in the explain API request, so this response explains a randomly chosen unassigned shard. There may be other unassigned shards in this cluster which cannot be assigned for different reasons. It may not be possible to assign this shard until one of the other shards is assigned correctly. To explain the allocation of other shards (whether assigned or unassigned) you must specify the target shard in the request to this API. See https://www.elastic.co/guide/en/elasticsearch/reference/8.17/cluster-allocation-explain.html for more information.';

const A = 'cluster.routing.allocation.';

/** The cluster-level rebalance deciders: enable (rebalance), cluster_rebalance, concurrent_rebalance. */
export function rebalanceClusterDecisions(ctx: DeciderContext, copy: ShardCopy): Decision[] {
  const { config, state } = ctx;
  const k = state.counters;
  const out: Decision[] = [];
  const mode = config.rebalanceEnable;
  const why = `cluster setting [cluster.routing.rebalance.enable=${mode}]`;
  if (mode === 'none')
    out.push({ decider: 'enable', decision: 'NO', explanation: `no rebalancing is allowed due to ${why}` });
  else if (mode === 'primaries' && !copy.primary)
    out.push({ decider: 'enable', decision: 'NO', explanation: `replica rebalancing is forbidden due to ${why}` });
  else if (mode === 'replicas' && copy.primary)
    out.push({ decider: 'enable', decision: 'NO', explanation: `primary rebalancing is forbidden due to ${why}` });
  else out.push({ decider: 'enable', decision: 'YES', explanation: 'all rebalancing is allowed' });
  const allow = config.allowRebalance;
  if (allow === 'indices_all_active' && k.unassigned > 0) {
    out.push({
      decider: 'cluster_rebalance',
      decision: 'NO',
      explanation:
        'the cluster has unassigned shards and cluster setting ' +
        `[${A}allow_rebalance] is set to [indices_all_active]`,
    });
  } else if (allow === 'indices_all_active' && k.initializing > 0) {
    out.push({
      decider: 'cluster_rebalance',
      decision: 'NO',
      explanation:
        'the cluster has inactive shards and cluster setting ' + `[${A}allow_rebalance] is set to [indices_all_active]`,
    });
  } else if (allow === 'indices_primaries_active' && k.unassignedPrimaries > 0) {
    out.push({
      decider: 'cluster_rebalance',
      decision: 'NO',
      explanation:
        'the cluster has unassigned primary shards and cluster setting ' +
        `[${A}allow_rebalance] is set to [indices_primaries_active]`,
    });
  } else {
    out.push({
      decider: 'cluster_rebalance',
      decision: 'YES',
      explanation: allow === 'indices_primaries_active' ? 'all primary shards are active' : 'all shards are active',
    });
  }
  const limit = config.clusterConcurrentRebalance;
  if (limit !== -1 && k.relocating >= limit) {
    out.push({
      decider: 'concurrent_rebalance',
      decision: 'THROTTLE',
      explanation:
        `reached the limit of concurrently rebalancing shards [${k.relocating}], ` +
        `cluster setting [${A}cluster_concurrent_rebalance=${limit}]`,
    });
  } else {
    out.push({
      decider: 'concurrent_rebalance',
      decision: 'YES',
      explanation:
        `below threshold [${limit}] for concurrent rebalances, ` + `current rebalance shard count [${k.relocating}]`,
    });
  }
  return out;
}
