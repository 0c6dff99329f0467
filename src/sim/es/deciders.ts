import type { AllocationConfig } from './allocation-config.js';
import { projectedCount, type RoutingState } from './routing-state.js';
import type { Decision, DecisionType, IndexMeta, ShardCopy, SimNode } from './types.js';
import { formatBytes, format1Decimals } from './units.js';

/**
 * ES's allocation deciders, in ES's evaluation order, with its names and explanation texts.
 * `verbose=false` is the allocator's hot path: it stops at the first NO and builds no strings.
 */
export interface DeciderContext {
  state: RoutingState;
  config: AllocationConfig;
  /** Awareness attribute → values seen on live nodes; filled on first use, valid for one reroute. */
  awarenessValues?: Map<string, Set<string>>;
}

type DeciderFn = (ctx: DeciderContext, copy: ShardCopy, node: SimNode, verbose: boolean) => Decision;

const quiet = new Map<string, Decision>();
function decide(decider: string, decision: DecisionType, verbose: boolean, explain: () => string): Decision {
  if (verbose) return { decider, decision, explanation: explain() };
  const key = `${decider}/${decision}`;
  let d = quiet.get(key);
  if (!d) quiet.set(key, (d = { decider, decision, explanation: '' }));
  return d;
}

const A = 'cluster.routing.allocation.';

function isActive(c: ShardCopy): boolean {
  return c.state === 'STARTED' || c.state === 'RELOCATING';
}

/** ShardRouting.shortSummary, as the same_shard decider prints it. */
export function describeCopy(c: ShardCopy): string {
  const relocating = c.state === 'RELOCATING' && c.target ? `relocating [${c.target.nodeId}], ` : '';
  return (
    `[${c.group.index.name}][${c.group.id}], node[${c.nodeId}], ` +
    `${relocating}[${c.primary ? 'P' : 'R'}], s[${c.state}], a[id=${c.allocationId}]`
  );
}

const replicaAfterPrimaryActive: DeciderFn = (ctx, copy, _node, v) => {
  if (copy.primary || isActive(copy))
    return decide('replica_after_primary_active', 'YES', v, () => 'shard is primary and can be allocated');
  return ctx.state.activePrimaryOf(copy)
    ? decide('replica_after_primary_active', 'YES', v, () => 'primary shard for this replica is already active')
    : decide('replica_after_primary_active', 'NO', v, () => 'primary shard for this replica is not yet active');
};

const enable: DeciderFn = (ctx, copy, _node, v) => {
  const mode = ctx.config.enable;
  const why = `cluster setting [${A}enable=${mode}]`;
  switch (mode) {
    case 'all':
      return decide('enable', 'YES', v, () => 'all allocations are allowed');
    case 'none':
      return decide('enable', 'NO', v, () => `no allocations are allowed due to ${why}`);
    case 'new_primaries':
      return copy.primary && !isActive(copy) && !copy.group.everAllocated
        ? decide('enable', 'YES', v, () => 'new primary allocations are allowed')
        : decide('enable', 'NO', v, () => `non-new primary allocations are forbidden due to ${why}`);
    case 'primaries':
      return copy.primary
        ? decide('enable', 'YES', v, () => 'primary allocations are allowed')
        : decide('enable', 'NO', v, () => `replica allocations are forbidden due to ${why}`);
  }
};

/** Filters depend on the node only: also used for canRemain. */
export function filterDecision(config: AllocationConfig, node: SimNode, v: boolean): Decision {
  const { require, include, exclude } = config;
  if (require && !require.match(node)) {
    return decide(
      'filter',
      'NO',
      v,
      () => `node does not match cluster setting [${A}require] filters [${require.toString()}]`,
    );
  }
  if (include && !include.match(node)) {
    return decide(
      'filter',
      'NO',
      v,
      () => `node does not match cluster setting [${A}include] filters [${include.toString()}]`,
    );
  }
  if (exclude && exclude.match(node)) {
    return decide(
      'filter',
      'NO',
      v,
      () => `node matches cluster setting [${A}exclude] filters [${exclude.toString()}]`,
    );
  }
  return decide('filter', 'YES', v, () => 'node passes include/exclude/require filters');
}

/** FilterAllocationDecider.shouldIndexFilter: the index's own require/include/exclude groups. */
export function indexFilterDecision(index: IndexMeta, node: SimNode, v: boolean): Decision | null {
  const { require, include, exclude } = index.allocation;
  const I = 'index.routing.allocation.';
  if (require && !require.match(node))
    return decide(
      'filter',
      'NO',
      v,
      () => `node does not match index setting [${I}require] filters [${require.toString()}]`,
    );
  if (include && !include.match(node))
    return decide(
      'filter',
      'NO',
      v,
      () => `node does not match index setting [${I}include] filters [${include.toString()}]`,
    );
  if (exclude && exclude.match(node))
    return decide('filter', 'NO', v, () => `node matches index setting [${I}exclude] filters [${exclude.toString()}]`);
  return null;
}

/** Cluster filters first, then the index's (ES's shouldFilter); the same for canAllocate and canRemain. */
const filter: DeciderFn = (ctx, copy, node, v) => {
  const cluster = filterDecision(ctx.config, node, v);
  if (cluster.decision === 'NO') return cluster;
  return indexFilterDecision(copy.group.index, node, v) ?? cluster;
};

const sameShard: DeciderFn = (ctx, copy, node, v) => {
  for (const c of copy.group.copies) {
    const holder = c.nodeId === node.id ? c : c.target?.nodeId === node.id ? c.target : null;
    if (holder) {
      const text =
        holder === copy
          ? 'this shard is already allocated to this node'
          : 'a copy of this shard is already allocated to this node';
      return decide('same_shard', 'NO', v, () => `${text} [${describeCopy(holder)}]`);
    }
  }
  if (!ctx.config.sameHost) return decide('same_shard', 'YES', v, () => 'this node does not hold a copy of this shard');
  // cluster.routing.allocation.same_shard.host: no two copies on nodes with one host address.
  for (const c of copy.group.copies) {
    for (const holder of [c, c.target]) {
      if (!holder || holder === copy || holder.nodeId === null) continue;
      const other = ctx.state.nodes.get(holder.nodeId);
      if (other && other.ip === node.ip) {
        return decide(
          'same_shard',
          'NO',
          v,
          () =>
            `cannot allocate to node [${node.id}] because a copy of this shard is already allocated to node ` +
            `[${other.id}] with the same host address [${node.ip}] and [${A}same_shard.host] is [true] which ` +
            'forbids more than one node on each host from holding a copy of this shard',
        );
      }
    }
  }
  return decide('same_shard', 'YES', v, () => 'none of the nodes on this host hold a copy of this shard');
};

/**
 * ShardsLimitAllocationDecider: `index.routing.allocation.total_shards_per_node` and
 * `cluster.routing.allocation.total_shards_per_node`, counting the node's owning copies (those
 * not relocating away). Allocation needs count < limit; remaining needs count <= limit.
 */
function shardsLimit(ctx: DeciderContext, copy: ShardCopy, node: SimNode, v: boolean, remain: boolean): Decision {
  const indexLimit = copy.group.index.allocation.totalShardsPerNode;
  const clusterLimit = ctx.config.clusterTotalShardsPerNode;
  if (indexLimit <= 0 && clusterLimit <= 0) {
    return decide(
      'shards_limit',
      'YES',
      v,
      () => `total shard limits are disabled: [index: ${indexLimit}, cluster: ${clusterLimit}] <= 0`,
    );
  }
  const over = (count: number, limit: number): boolean => (remain ? count > limit : count >= limit);
  const nodeCount = projectedCount(node);
  if (clusterLimit > 0 && over(nodeCount, clusterLimit)) {
    return decide(
      'shards_limit',
      'NO',
      v,
      () =>
        `too many shards [${nodeCount}] allocated to this node, cluster setting ` +
        `[${A}total_shards_per_node=${clusterLimit}]`,
    );
  }
  if (indexLimit > 0) {
    const indexCount = node.owningByIndex.get(copy.group.index) ?? 0;
    if (over(indexCount, indexLimit)) {
      return decide(
        'shards_limit',
        'NO',
        v,
        () =>
          `too many shards [${indexCount}] allocated to this node for index [${copy.group.index.name}], ` +
          `index setting [index.routing.allocation.total_shards_per_node=${indexLimit}]`,
      );
    }
  }
  return decide(
    'shards_limit',
    'YES',
    v,
    () =>
      `the shard count [${nodeCount}] for this node is under the index limit [${indexLimit}] ` +
      `and cluster level node limit [${clusterLimit}]`,
  );
}

const shardsLimitAllocate: DeciderFn = (ctx, copy, node, v) => shardsLimit(ctx, copy, node, v, false);

const diskThreshold: DeciderFn = (ctx, copy, node, v) => {
  const { config, state } = ctx;
  if (!config.diskEnabled) return decide('disk_threshold', 'YES', v, () => 'the disk threshold decider is disabled');
  const total = node.diskTotal;
  const reserved = state.incomingRemaining(node);
  const free = total - state.liveBytes(node) - reserved;
  const usedPct = total === 0 ? 0 : 100 - (100 * free) / total;
  const used = (): string => format1Decimals(usedPct, '%');
  if (free < 0) {
    return decide(
      'disk_threshold',
      'NO',
      v,
      () =>
        'the node has fewer free bytes remaining than the total size of all incoming ' +
        `shards: free space [${free + reserved}B], relocating shards [${reserved}B]`,
    );
  }
  const lowFree = config.low.requiredFree(total);
  const highFree = config.high.requiredFree(total);
  const newEmptyPrimary = copy.primary && !isActive(copy) && !copy.group.everAllocated;
  if (free < lowFree) {
    if (!newEmptyPrimary) {
      return decide(
        'disk_threshold',
        'NO',
        v,
        () =>
          `the node is above the low watermark cluster setting [${config.low.describe(total)}], ` +
          `having less than the minimum required [${formatBytes(lowFree)}] ` +
          `free space, actual free: [${formatBytes(free)}], actual used: [${used()}]`,
      );
    }
    if (free > highFree) {
      return decide(
        'disk_threshold',
        'YES',
        v,
        () =>
          'the node is above the low watermark, but less than the high ' +
          'watermark, and this primary shard has never been allocated before',
      );
    }
    return decide(
      'disk_threshold',
      'NO',
      v,
      () =>
        `the node is above the high watermark cluster setting [${config.high.describe(total)}], ` +
        `having less than the minimum required [${formatBytes(highFree)}] ` +
        `free space, actual free: [${formatBytes(free)}], actual used: [${used()}]`,
    );
  }
  const size = copy.group.staleCopyNodes.has(node.id) || newEmptyPrimary ? 0 : copy.group.size;
  if (free - size < highFree) {
    return decide(
      'disk_threshold',
      'NO',
      v,
      () =>
        'allocating the shard to this node will bring the node above the high watermark ' +
        `cluster setting [${config.high.describe(total)}] and cause it to have less than ` +
        `the minimum required [${formatBytes(highFree)}] of free space (free: ` +
        `[${formatBytes(free)}], used: [${used()}], estimated shard size: [${formatBytes(size)}])`,
    );
  }
  return decide(
    'disk_threshold',
    'YES',
    v,
    () =>
      `enough disk for shard on node, free: [${formatBytes(free)}], used: [${used()}], shard ` +
      `size: [${formatBytes(size)}], free after allocating shard: [${formatBytes(free - size)}]`,
  );
};

const throttling: DeciderFn = (ctx, copy, node, v) => {
  const { config, state } = ctx;
  if (copy.primary && copy.state === 'UNASSIGNED') {
    const inRecovery = node.initialPrimaryRecoveries;
    const limit = config.initialPrimariesLimit;
    return inRecovery >= limit
      ? decide(
          'throttling',
          'THROTTLE',
          v,
          () =>
            `reached the limit of ongoing initial primary recoveries [${inRecovery}], ` +
            `cluster setting [${A}node_initial_primaries_recoveries=${limit}]`,
        )
      : decide('throttling', 'YES', v, () => `below primary recovery limit of [${limit}]`);
  }
  const incoming = node.incoming.size;
  if (incoming >= config.incomingLimit) {
    return decide(
      'throttling',
      'THROTTLE',
      v,
      () =>
        `reached the limit of incoming shard recoveries [${incoming}], ` +
        `cluster setting [${A}node_concurrent_incoming_recoveries=${config.incomingLimit}] ` +
        `(can also be set via [${A}node_concurrent_recoveries])`,
    );
  }
  const primary = copy.primary && isActive(copy) ? copy : state.activePrimaryOf(copy);
  if (!primary) return decide('throttling', 'NO', v, () => 'primary shard for this replica is not yet active');
  const outgoing = state.node(primary.nodeId).outgoing.size;
  if (outgoing >= config.outgoingLimit) {
    return decide(
      'throttling',
      'THROTTLE',
      v,
      () =>
        `reached the limit of outgoing shard recoveries [${outgoing}] on ` +
        `the node [${primary.nodeId}] which holds the primary, cluster ` +
        `setting [${A}node_concurrent_outgoing_recoveries=${config.outgoingLimit}] ` +
        `(can also be set via [${A}node_concurrent_recoveries])`,
    );
  }
  return decide(
    'throttling',
    'YES',
    v,
    () =>
      `below shard recovery limit of outgoing: [${outgoing} < ${config.outgoingLimit}] ` +
      `incoming: [${incoming} < ${config.incomingLimit}]`,
  );
};

const awareness: DeciderFn = (ctx, copy, node, v) => {
  const attrs = ctx.config.awarenessAttributes;
  if (attrs.length === 0) {
    return decide(
      'awareness',
      'YES',
      v,
      () => `allocation awareness is not enabled, set cluster setting [${A}awareness.attributes] to enable it`,
    );
  }
  const shardCount = copy.group.index.replicas + 1;
  for (const attr of attrs) {
    const value = node.attributes[attr];
    if (value === undefined) {
      return decide(
        'awareness',
        'NO',
        v,
        () =>
          `node does not contain the awareness attribute [${attr}]; required ` +
          `attributes cluster setting [${A}awareness.attributes=${attrs.join(',')}]`,
      );
    }
    const values = awarenessValues(ctx, attr);
    let onValue = 1; // the copy being placed
    for (const c of copy.group.copies) {
      if (c === copy) continue;
      const where = c.state === 'RELOCATING' && c.target ? c.target.nodeId : c.nodeId;
      if (where !== null && ctx.state.nodes.get(where)?.attributes[attr] === value) onValue++;
    }
    const max = Math.ceil(shardCount / values.size);
    if (onValue > max) {
      const forced = ctx.config.forcedAwareness.get(attr);
      return decide(
        'awareness',
        'NO',
        v,
        () =>
          `there are [${shardCount}] copies of this shard and [${values.size}] values for attribute [${attr}] ` +
          `([${[...liveAttributeValues(ctx, attr)].sort().join(', ')}] from nodes in the cluster and ` +
          `${forced ? `[${[...forced].sort().join(', ')}] from forced awareness` : 'no forced awareness'}) ` +
          `so there may be at most [${max}] copies of this shard allocated to nodes with each value, but ` +
          `(including this copy) there would be [${onValue}] copies allocated to nodes with ` +
          `[node.attr.${attr}: ${value}]`,
      );
    }
  }
  return decide('awareness', 'YES', v, () => 'node meets all awareness attribute requirements');
};

/** Values of the attribute on live data nodes (RoutingNodes.getAttributeValues). */
function liveAttributeValues(ctx: DeciderContext, attr: string): Set<string> {
  const values = new Set<string>();
  for (const n of ctx.state.nodes.values())
    if (n.alive && n.isData && n.attributes[attr] !== undefined) values.add(n.attributes[attr]);
  return values;
}

function awarenessValues(ctx: DeciderContext, attr: string): Set<string> {
  ctx.awarenessValues ??= new Map();
  let values = ctx.awarenessValues.get(attr);
  if (!values) {
    values = new Set<string>([...(ctx.config.forcedAwareness.get(attr) ?? []), ...liveAttributeValues(ctx, attr)]);
    ctx.awarenessValues.set(attr, values);
  }
  return values;
}

const ALLOCATE_ORDER: DeciderFn[] = [
  replicaAfterPrimaryActive,
  enable,
  filter,
  sameShard,
  diskThreshold,
  throttling,
  shardsLimitAllocate,
  awareness,
];

/** The allocator's question: NO beats THROTTLE beats YES, stopping at the first NO. */
export function canAllocateType(ctx: DeciderContext, copy: ShardCopy, node: SimNode): DecisionType {
  let result: DecisionType = 'YES';
  for (const d of ALLOCATE_ORDER) {
    const t = d(ctx, copy, node, false).decision;
    if (t === 'NO') return 'NO';
    if (t === 'THROTTLE') result = 'THROTTLE';
  }
  return result;
}

/** Every decider's verdict, for the allocation explain API. */
export function canAllocateAll(ctx: DeciderContext, copy: ShardCopy, node: SimNode): Decision[] {
  return ALLOCATE_ORDER.map((d) => d(ctx, copy, node, true));
}

/** Can a copy stay where it is? Filters and the high watermark (with bytes already leaving subtracted). */
export function canRemainAll(ctx: DeciderContext, node: SimNode, verbose: boolean): Decision[] {
  const out = [filterDecision(ctx.config, node, verbose)];
  const { config, state } = ctx;
  if (!config.diskEnabled) {
    out.push(decide('disk_threshold', 'YES', verbose, () => 'the disk threshold decider is disabled'));
    return out;
  }
  const total = node.diskTotal;
  const free = total - state.liveBytes(node) - state.incomingRemaining(node) + node.relocatingAwayBytes;
  const highFree = config.high.requiredFree(total);
  const usedPct = total === 0 ? 0 : 100 - (100 * free) / total;
  out.push(
    free < highFree
      ? decide(
          'disk_threshold',
          'NO',
          verbose,
          () =>
            'the shard cannot remain on this node because it is above the high watermark ' +
            `cluster setting [${config.high.describe(total)}] and there is less than ` +
            `the required [${formatBytes(highFree)}] free space on node, actual free: ` +
            `[${formatBytes(free)}], actual used: [${format1Decimals(usedPct, '%')}]`,
        )
      : decide(
          'disk_threshold',
          'YES',
          verbose,
          () => `there is enough disk on this node for the shard to remain, free: [${formatBytes(free)}]`,
        ),
  );
  return out;
}

/**
 * Can this copy stay on its node? ES asks every decider's canRemain: filters (cluster, then the
 * index's), the high watermark and the shard limits.
 */
export function canRemainCopy(ctx: DeciderContext, copy: ShardCopy, node: SimNode, verbose: boolean): Decision[] {
  const [clusterFilter, disk] = canRemainAll(ctx, node, verbose) as [Decision, Decision];
  const filtered =
    clusterFilter.decision === 'NO'
      ? clusterFilter
      : (indexFilterDecision(copy.group.index, node, verbose) ?? clusterFilter);
  return [filtered, disk, shardsLimit(ctx, copy, node, verbose, true)];
}

/**
 * The index-level half of canRemain, for an index on a node: its own filters or its
 * total_shards_per_node. It depends on (index, node) only, so the allocator asks it once per pair.
 */
export function indexForbidsNode(index: IndexMeta, node: SimNode): boolean {
  if (indexFilterDecision(index, node, false)?.decision === 'NO') return true;
  const limit = index.allocation.totalShardsPerNode;
  return limit > 0 && (node.owningByIndex.get(index) ?? 0) > limit;
}
