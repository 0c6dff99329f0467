import { OperatorError } from '../../problem.js';
import type { ClusterReader } from './cluster-reader.js';
import { ClusterError } from './errors.js';

/** ES's allocation deciders in an operator's words (ES names them in `decider`). */
const DECIDER_WORDS: Record<string, string> = {
  same_shard: 'a copy of this shard is already there',
  disk_threshold: 'disk too full (above a watermark)',
  filter: 'an allocation filter keeps it off (exclude/include/require)',
  awareness: 'zone awareness: that zone already has its share of copies',
  enable: 'allocation is disabled by cluster.routing.allocation.enable',
  throttling: 'busy: as many recoveries as the throttle allows are running',
  max_retry: 'allocation failed too many times; POST _cluster/reroute?retry_failed once the cause is fixed',
  shards_limit: 'total_shards_per_node limit reached',
  data_tier: 'the index prefers another data tier',
  node_version: 'the node runs an older Elasticsearch than the copy',
  replica_after_primary_active: 'the primary is not active yet',
  node_shutdown: 'the node is shutting down',
  restore_in_progress: 'a snapshot restore has not finished',
  cluster_rebalance: 'rebalancing waits for the cluster to settle',
  concurrent_rebalance: 'too many rebalances at once',
};

export interface NodeVerdict {
  node: string;
  /** yes, no, throttled, worse_balance, awaiting_info. */
  decision: string;
  /** The deciders that said no or throttle, in plain words, with ES's own explanation. */
  reasons: string[];
}

export interface ShardExplanation {
  index: string;
  shard: number;
  primary: boolean;
  state: string;
  currentNode?: string;
  /** ES's own one-line answer (allocate / move / rebalance explanation). */
  summary: string;
  /** Why it may not stay where it is, when it may not. */
  cannotRemain: string[];
  /** Unassigned: ES's reason (NODE_LEFT, ...). */
  unassignedReason?: string;
  nodes: NodeVerdict[];
}

interface Decider {
  decider?: string;
  decision?: string;
  explanation?: string;
}

/** One decider that did not say yes, in words: "node-1: a copy of this shard is already there". */
export function deciderWords(d: Decider): string {
  const words = (d.decider && DECIDER_WORDS[d.decider]) ?? d.decider ?? 'a decider';
  return d.explanation ? `${words} (ES: ${d.explanation})` : words;
}

/** No such index or shard: what the operator typed, and how to find the right one. */
export class ShardNotFoundError extends OperatorError {
  override name = 'ShardNotFoundError';
}

/** `_cluster/allocation/explain` for one shard copy: where it is, and each node's verdict in words. */
export async function explainShard(
  cluster: ClusterReader,
  req: { index: string; shard: number; primary: boolean },
): Promise<ShardExplanation> {
  let ex: Record<string, unknown>;
  try {
    ex = (await cluster.call(() =>
      cluster.client.cluster.allocationExplain({ index: req.index, shard: req.shard, primary: req.primary }),
    )) as unknown as Record<string, unknown>;
  } catch (err) {
    if (err instanceof ClusterError && (err.statusCode === 404 || err.statusCode === 400))
      throw new ShardNotFoundError(
        `no shard ${req.shard} of an index named ${req.index} on ${cluster.name}`,
        `Check the index and shard number with /es shards NODE (shard numbers start at 0), then ask again.`,
      );
    throw err;
  }
  const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
  const current = ex.current_node as { name?: string } | undefined;
  const nodes = ((ex.node_allocation_decisions as Record<string, unknown>[] | undefined) ?? []).map((d) => ({
    node: str(d.node_name) ?? '?',
    decision: str(d.node_decision) ?? '?',
    reasons: ((d.deciders as Decider[] | undefined) ?? [])
      .filter((x) => x.decision === 'NO' || x.decision === 'THROTTLE')
      .map(deciderWords),
  }));
  return {
    index: req.index,
    shard: req.shard,
    primary: req.primary,
    state: str(ex.current_state) ?? 'unknown',
    ...(current?.name ? { currentNode: current.name } : {}),
    summary:
      str(ex.allocate_explanation) ??
      str(ex.move_explanation) ??
      str(ex.rebalance_explanation) ??
      `can move: ${str(ex.can_move_to_other_node) ?? 'unknown'}`,
    cannotRemain:
      ex.can_remain_on_current_node === 'no'
        ? ((ex.can_remain_decisions as Decider[] | undefined) ?? []).map(deciderWords)
        : [],
    ...((ex.unassigned_info as { reason?: string } | undefined)?.reason
      ? { unassignedReason: (ex.unassigned_info as { reason: string }).reason }
      : {}),
    nodes,
  };
}
