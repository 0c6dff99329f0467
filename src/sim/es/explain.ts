import { projectedCount } from './allocator.js';
import { canAllocateAll, canRemainCopy, type DeciderContext } from './deciders.js';
import { EsError, illegalArgument } from './es-error.js';
import { indexNotFound } from './index-catalog.js';
import type { SimCluster } from './sim-cluster.js';
import type { Decision, ShardCopy, SimNode } from './types.js';
import { formatDuration, formatInstant } from './units.js';
import { ALLOCATE, MOVE, NO_SHARD_SPECIFIED, REBALANCE, rebalanceClusterDecisions } from './explain-texts.js';

export interface ExplainRequest {
  index?: string;
  shard?: number;
  primary?: boolean;
  current_node?: string;
}

type Json = Record<string, unknown>;

/**
 * POST _cluster/allocation/explain, following ClusterAllocationExplanation and its
 * AllocateUnassignedDecision / MoveDecision parts: which shard, where it is, and per node
 * which deciders say no (only non-YES deciders unless include_yes_decisions).
 */
export function explainAllocation(cluster: SimCluster, req: ExplainRequest, includeYes: boolean, human = false): Json {
  const specific =
    req.index !== undefined || req.shard !== undefined || req.primary !== undefined || req.current_node !== undefined;
  const copy = specific ? findRequested(cluster, req) : findAnyUnassigned(cluster);
  const ctx: DeciderContext = { state: cluster.state, config: cluster.allocationConfig() };
  const out: Json = {};
  if (!specific) out.note = NO_SHARD_SPECIFIED;
  Object.assign(out, {
    index: copy.group.index.name,
    shard: copy.group.id,
    primary: copy.primary,
    current_state: copy.state.toLowerCase(),
  });
  if (copy.unassigned) {
    const u = copy.unassigned;
    out.unassigned_info = {
      reason: u.reason,
      at: formatInstant(cluster.epochMs + u.at),
      ...(u.details ? { details: u.details } : {}),
      last_allocation_status: u.lastAllocationStatus,
    };
  }
  const nodes = cluster.state.aliveDataNodes();
  const ranking = rankNodes(nodes);
  if (copy.nodeId !== null) {
    const current = cluster.state.node(copy.nodeId);
    out.current_node = { ...nodeFields(current, true), weight_ranking: ranking.get(current) };
  }
  if (copy.state === 'RELOCATING') {
    const target = cluster.state.node(copy.target?.nodeId ?? null);
    out.explanation =
      `the shard is in the process of relocating from node [${cluster.state.node(copy.nodeId).name}] ` +
      `to node [${target.name}], wait until relocation has completed`;
  } else if (copy.state === 'INITIALIZING') {
    out.explanation =
      'the shard is in the process of initializing on node ' +
      `[${cluster.state.node(copy.nodeId).name}], wait until initialization has completed`;
  } else if (copy.state === 'UNASSIGNED') {
    Object.assign(out, explainUnassigned(cluster, ctx, copy, nodes, ranking, includeYes, human));
  } else {
    Object.assign(out, explainStarted(ctx, copy, nodes, ranking, includeYes));
  }
  return out;
}

function explainUnassigned(
  cluster: SimCluster,
  ctx: DeciderContext,
  copy: ShardCopy,
  nodes: SimNode[],
  ranking: Map<SimNode, number>,
  includeYes: boolean,
  human: boolean,
): Json {
  const group = copy.group;
  const needsExistingCopy = copy.primary && group.everAllocated;
  const results = nodes.map((node) => {
    const store = storeInfo(copy, node, needsExistingCopy);
    if (needsExistingCopy && !group.staleCopyNodes.has(node.id)) {
      return nodeResult(node, [], 'no', ranking, includeYes, store);
    }
    const decisions = canAllocateAll(ctx, copy, node);
    return nodeResult(node, decisions, verdict(decisions), ranking, includeYes, store);
  });
  const anyYes = results.some((r) => r.node_decision === 'yes');
  const anyThrottled = results.some((r) => r.node_decision === 'throttled');
  const decisions = sortResults(results);
  const delayedUntil = copy.unassigned?.delayedUntil;
  if (delayedUntil != null) {
    const configured = group.index.nodeLeftDelayMs;
    const remaining = Math.max(0, delayedUntil - cluster.now);
    // humanReadableField: the "1m" forms only with ?human=true, the millis always.
    return {
      can_allocate: 'allocation_delayed',
      allocate_explanation: (anyYes ? ALLOCATE.DELAYED_WITH_ALTERNATIVE : ALLOCATE.DELAYED_WITHOUT_ALTERNATIVE).replace(
        '%s',
        formatDuration(configured),
      ),
      ...(human ? { configured_delay: formatDuration(configured) } : {}),
      configured_delay_in_millis: configured,
      ...(human ? { remaining_delay: formatDuration(remaining) } : {}),
      remaining_delay_in_millis: remaining,
      node_allocation_decisions: decisions,
    };
  }
  if (needsExistingCopy && ![...group.staleCopyNodes].some((id) => cluster.state.nodes.get(id)?.alive)) {
    return {
      can_allocate: 'no_valid_shard_copy',
      allocate_explanation: ALLOCATE.NO_COPIES,
      node_allocation_decisions: decisions,
    };
  }
  const target = anyYes ? bestYes(nodes, results) : null;
  return {
    can_allocate: anyYes ? 'yes' : anyThrottled ? 'throttled' : 'no',
    allocate_explanation: anyYes
      ? ALLOCATE.YES
      : anyThrottled
        ? ALLOCATE.THROTTLED
        : needsExistingCopy
          ? ALLOCATE.EXISTING_STORES_FORBIDDEN
          : ALLOCATE.ALL_NODES_FORBIDDEN,
    ...(target ? { target_node: nodeFields(target, true) } : {}),
    node_allocation_decisions: decisions,
  };
}

function explainStarted(
  ctx: DeciderContext,
  copy: ShardCopy,
  nodes: SimNode[],
  ranking: Map<SimNode, number>,
  includeYes: boolean,
): Json {
  const current = ctx.state.node(copy.nodeId);
  const others = nodes.filter((n) => n !== current);
  const remain = canRemainCopy(ctx, copy, current, true);
  const results = others.map((node) => {
    const decisions = canAllocateAll(ctx, copy, node);
    return { node, result: nodeResult(node, decisions, verdict(decisions), ranking, includeYes) };
  });
  const anyYes = results.some((r) => r.result.node_decision === 'yes');
  const anyThrottled = results.some((r) => r.result.node_decision === 'throttled');
  if (remain.some((d) => d.decision === 'NO')) {
    const target = anyYes
      ? bestYes(
          others,
          results.map((r) => r.result),
        )
      : null;
    return {
      can_remain_on_current_node: 'no',
      can_remain_decisions: remain.filter((d) => d.decision !== 'YES' || includeYes),
      can_move_to_other_node: anyYes ? 'yes' : 'no',
      move_explanation: anyYes ? MOVE.YES : anyThrottled ? MOVE.THROTTLED : MOVE.NO,
      ...(target ? { target_node: nodeFields(target, true) } : {}),
      node_allocation_decisions: sortResults(results.map((r) => r.result)),
    };
  }
  const cluster = rebalanceClusterDecisions(ctx, copy);
  const clusterVerdict = verdict(cluster);
  // A node every decider allows is still not worth a move here: it would not improve balance.
  const rebalanceResults = results.map((r) =>
    r.result.node_decision === 'yes' ? { ...r.result, node_decision: 'worse_balance' } : r.result,
  );
  const out: Json = { can_remain_on_current_node: 'yes', can_rebalance_cluster: clusterVerdict };
  if (clusterVerdict !== 'yes')
    out.can_rebalance_cluster_decisions = cluster.filter((d) => d.decision !== 'YES' || includeYes);
  out.can_rebalance_to_other_node = clusterVerdict === 'throttled' ? 'throttled' : 'no';
  out.rebalance_explanation =
    clusterVerdict === 'no'
      ? anyYes
        ? REBALANCE.CANNOT_REBALANCE_CAN_ALLOCATE
        : REBALANCE.CANNOT_REBALANCE_CANNOT_ALLOCATE
      : clusterVerdict === 'throttled'
        ? REBALANCE.CLUSTER_THROTTLE
        : REBALANCE.ALREADY_BALANCED;
  out.node_allocation_decisions = sortResults(rebalanceResults);
  return out;
}

function verdict(decisions: Decision[]): 'yes' | 'no' | 'throttled' {
  if (decisions.some((d) => d.decision === 'NO')) return 'no';
  if (decisions.some((d) => d.decision === 'THROTTLE')) return 'throttled';
  return 'yes';
}

interface NodeResult extends Json {
  node_id: string;
  node_decision: string;
  weight_ranking: number;
}

function nodeResult(
  node: SimNode,
  decisions: Decision[],
  decision: string,
  ranking: Map<SimNode, number>,
  includeYes: boolean,
  store?: Json,
): NodeResult {
  const shown = decisions.filter((d) => d.decision !== 'YES' || includeYes);
  return {
    ...nodeFields(node, false),
    node_decision: decision,
    ...(store ? { store } : {}),
    weight_ranking: ranking.get(node) ?? 0,
    ...(shown.length > 0 ? { deciders: shown } : {}),
  } as NodeResult;
}

/** AbstractAllocationDecision.discoveryNodeToXContent. */
export function nodeFields(node: SimNode, outer: boolean): Json {
  return {
    [outer ? 'id' : 'node_id']: node.id,
    [outer ? 'name' : 'node_name']: node.name,
    transport_address: `${node.ip}:9300`,
    ...(Object.keys(node.attributes).length > 0
      ? { [outer ? 'attributes' : 'node_attributes']: { ...node.attributes } }
      : {}),
    roles: [...node.roles],
  };
}

function storeInfo(copy: ShardCopy, node: SimNode, primaryFromStore: boolean): Json | undefined {
  const holds = copy.group.staleCopyNodes.has(node.id);
  if (primaryFromStore) return holds ? { in_sync: true, allocation_id: copy.allocationId } : { found: false };
  return holds ? { matching_size_in_bytes: copy.group.size } : undefined;
}

const ORDER: Record<string, number> = { yes: 0, throttled: 1, no: 2, worse_balance: 3 };

function sortResults(results: NodeResult[]): NodeResult[] {
  return [...results].sort(
    (a, b) =>
      (ORDER[a.node_decision] ?? 9) - (ORDER[b.node_decision] ?? 9) ||
      a.weight_ranking - b.weight_ranking ||
      a.node_id.localeCompare(b.node_id),
  );
}

/** Weight ranking: 1 for the node that would be preferred (fewest copies), and so on. */
function rankNodes(nodes: SimNode[]): Map<SimNode, number> {
  const sorted = [...nodes].sort((a, b) => projectedCount(a) - projectedCount(b) || a.id.localeCompare(b.id));
  return new Map(sorted.map((n, i) => [n, i + 1]));
}

function bestYes(nodes: SimNode[], results: NodeResult[]): SimNode | null {
  const yes = new Set(results.filter((r) => r.node_decision === 'yes').map((r) => r.node_id));
  let best: SimNode | null = null;
  for (const n of nodes) if (yes.has(n.id) && (!best || projectedCount(n) < projectedCount(best))) best = n;
  return best;
}

function findAnyUnassigned(cluster: SimCluster): ShardCopy {
  const first =
    cluster.state.unassignedPrimaries.values().next().value ?? cluster.state.unassignedReplicas.values().next().value;
  if (!first) {
    throw illegalArgument(
      'No shard was specified in the request which means the response should explain a ' +
        'randomly-chosen unassigned shard, but there are no unassigned shards in this cluster. To explain ' +
        'the allocation of an assigned shard you must specify the target shard in the request.',
    );
  }
  return first;
}

/** TransportClusterAllocationExplainAction.findShardToExplain for an explicit request. */
function findRequested(cluster: SimCluster, req: ExplainRequest): ShardCopy {
  const missing = [
    req.index === undefined && 'index',
    req.shard === undefined && 'shard',
    req.primary === undefined && 'primary',
  ].filter(Boolean);
  if (missing.length > 0) {
    const reason = `Validation Failed: ${missing.map((m, i) => `${i + 1}: ${m} must be specified;`).join('')}`;
    throw new EsError(400, 'action_request_validation_exception', reason);
  }
  const meta = cluster.state.indices.get(req.index as string);
  if (!meta) throw indexNotFound(req.index as string);
  const group = meta.groups[req.shard as number];
  if (!group) {
    throw new EsError(404, 'shard_not_found_exception', 'no such shard', {
      index_uuid: meta.uuid,
      shard: String(req.shard),
      index: meta.name,
    });
  }
  const wanted =
    req.current_node === undefined
      ? null
      : ([...cluster.state.nodes.values()].find((n) => n.id === req.current_node || n.name === req.current_node) ??
        null);
  if (req.current_node !== undefined && !wanted)
    throw illegalArgument(`failed to resolve [${req.current_node}], no matching nodes`);
  if (req.primary) {
    const primary = group.copies.find((c) => c.primary) as ShardCopy;
    if (wanted && primary.nodeId !== wanted.id)
      throw illegalArgument(`unable to find primary shard assigned to node [${req.current_node}]`);
    return primary;
  }
  const replicas = group.copies.filter((c) => !c.primary);
  if (wanted) {
    const onNode = replicas.find((c) => c.nodeId === wanted.id);
    if (!onNode) throw illegalArgument(`unable to find a replica shard assigned to node [${req.current_node}]`);
    return onNode;
  }
  const pick =
    replicas.find((c) => c.state === 'UNASSIGNED') ?? replicas.find((c) => c.state === 'STARTED') ?? replicas[0];
  if (!pick)
    throw illegalArgument(
      'unable to find any shards to explain ' +
        `[ClusterAllocationExplainRequest[index=${meta.name},shard=${group.id},` +
        'primary?=false,currentNode=null,includeYesDecisions?=false]] in the routing table',
    );
  return pick;
}
