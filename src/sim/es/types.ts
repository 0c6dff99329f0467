import type { NodeFilters } from './node-filters.js';

/**
 * The simulator's data model. Names follow Elasticsearch's own (ShardRouting, RoutingNode,
 * UnassignedInfo, RecoveryState) so that code and `_cat` output read alike.
 */

/** A node as a test or the generator describes it. */
export interface SimNodeSpec {
  name: string;
  ip: string;
  /** Host name; defaults to the IP, as ES reports it when nodes are addressed by IP. */
  host?: string;
  /** Value of the custom node attribute `zone` (primary / secondary / spot in ActiveData). */
  zone: string;
  diskTotalBytes: number;
  /** ES 8 role names; default is every role a node gets when `node.roles` is not set. */
  roles?: string[];
}

/** An index as a test or the generator describes it. */
export interface SimIndexSpec {
  name: string;
  shards: number;
  replicas: number;
  bytesPerShard: number;
  aliases?: string[];
  /** Per-shard sizes overriding bytesPerShard (the generator varies them). */
  shardBytes?: number[];
}

export type ShardState = 'UNASSIGNED' | 'INITIALIZING' | 'STARTED' | 'RELOCATING';
export type RecoveryType = 'empty_store' | 'existing_store' | 'peer';
export type DecisionType = 'YES' | 'NO' | 'THROTTLE';

export interface Decision {
  decider: string;
  decision: DecisionType;
  explanation: string;
}

export interface IndexMeta {
  name: string;
  uuid: string;
  shards: number;
  replicas: number;
  aliases: Set<string>;
  creationDate: number;
  /** index.unassigned.node_left.delayed_timeout: replicas of a departed node wait this long. */
  nodeLeftDelayMs: number;
  groups: ShardGroup[];
  /** Explicit index settings, flat `index.*` keys (what PUT /{index}/_settings wrote). */
  settings: Map<string, string>;
  /** The allocation-relevant part of `settings`, parsed once per change. */
  allocation: IndexAllocation;
  /** POST /{index}/_close: its shards leave the routing table until it is opened again. */
  closed: boolean;
}

/** index.routing.allocation.{require,include,exclude}.* and total_shards_per_node. */
export interface IndexAllocation {
  require: NodeFilters | null;
  include: NodeFilters | null;
  exclude: NodeFilters | null;
  /** -1 (or 0): no limit. */
  totalShardsPerNode: number;
}

/** All copies of one shard id (ES: IndexShardRoutingTable). */
export interface ShardGroup {
  index: IndexMeta;
  id: number;
  size: number;
  /** Routing-table copies: exactly one has primary=true. Relocation targets are not listed. */
  copies: ShardCopy[];
  /** Ids of nodes holding a full on-disk copy that is not currently assigned there (node left). */
  staleCopyNodes: Set<string>;
  /** False until a primary first started: only then may it be created empty anywhere. */
  everAllocated: boolean;
}

export type UnassignedReason =
  'INDEX_CREATED' | 'NODE_LEFT' | 'REPLICA_ADDED' | 'PRIMARY_FAILED' | 'ALLOCATION_FAILED' | 'CLUSTER_RECOVERED';

export interface UnassignedInfo {
  reason: UnassignedReason;
  at: number;
  details?: string;
  /** Simulated ms until which allocation to other nodes waits (node_left delay); null = not delayed. */
  delayedUntil: number | null;
  lastAllocationStatus: 'no_attempt' | 'no' | 'throttled' | 'no_valid_shard_copy' | 'delayed';
}

/** One shard copy (ES: ShardRouting). A relocation is a RELOCATING source plus an INITIALIZING target. */
export interface ShardCopy {
  group: ShardGroup;
  primary: boolean;
  state: ShardState;
  nodeId: string | null;
  /** On a RELOCATING source: its target copy. */
  target: ShardCopy | null;
  /** On a relocation target: the source copy. */
  source: ShardCopy | null;
  recovery: Recovery | null;
  lastRecovery: Recovery | null;
  unassigned: UnassignedInfo | null;
  /** Stable id, printed as ES's allocation id in explanations. */
  allocationId: string;
}

/** An ongoing or finished recovery of one copy (ES: RecoveryState). */
export interface Recovery {
  copy: ShardCopy;
  type: RecoveryType;
  /** Node the bytes come from (the primary's node for peer recoveries), null for store recoveries. */
  sourceNodeId: string | null;
  targetNodeId: string;
  totalBytes: number;
  /** Bytes reused from an on-disk copy: they need not travel. */
  reusedBytes: number;
  recoveredBytes: number;
  startTime: number;
  stopTime: number | null;
  /** Fixed per-recovery overhead: cannot finish before this simulated time. */
  readyAt: number;
}

export interface SimNode {
  id: string;
  name: string;
  ip: string;
  host: string;
  attributes: Record<string, string>;
  roles: string[];
  isData: boolean;
  isMasterEligible: boolean;
  diskTotal: number;
  /** Bytes on the data path that are not shard copies (logs, other files): a test fills a disk with it. */
  otherBytes: number;
  alive: boolean;
  /** Every copy on this node, relocation targets included (same_shard and disk look here). */
  copies: Set<ShardCopy>;
  /** Copies ES lists for this node in the routing table (what `_cat/allocation` counts). */
  routingCount: number;
  /** Bytes of fully present copies (STARTED and RELOCATING sources). */
  settledBytes: number;
  relocatingAwayBytes: number;
  relocatingAwayCount: number;
  incomingRelocations: number;
  /** Recoveries whose target is this node (ES counts all initializing shards as incoming). */
  incoming: Set<Recovery>;
  /** Peer recoveries sourced from this node (ES: outgoing recoveries of the primary's node). */
  outgoing: Set<Recovery>;
  initialPrimaryRecoveries: number;
  /** Owning copies (not relocating away, incoming targets included) per index: shards_limit reads it. */
  owningByIndex: Map<IndexMeta, number>;
  /** Shard groups whose on-disk copy this node kept when it left. */
  staleGroups: Set<ShardGroup>;
  startedAt: number;
  /**
   * Epoch ms at which the node's current JVM started (`_nodes/jvm` → `jvm.start_time_in_millis`):
   * set anew on every (re)start and always later than the previous one, so a restart is visible
   * even when the node was already back when someone looked.
   */
  jvmStartedAtMs: number;
}

export interface HealthSummary {
  cluster_name: string;
  status: 'green' | 'yellow' | 'red';
  timed_out: boolean;
  number_of_nodes: number;
  number_of_data_nodes: number;
  active_primary_shards: number;
  active_shards: number;
  relocating_shards: number;
  initializing_shards: number;
  unassigned_shards: number;
  unassigned_primary_shards: number;
  delayed_unassigned_shards: number;
  number_of_pending_tasks: number;
  number_of_in_flight_fetch: number;
  task_max_waiting_in_queue_millis: number;
  active_shards_percent_as_number: number;
}
