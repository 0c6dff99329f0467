import type { ClusterReader, HealthSummary } from './cluster-reader.js';

export interface Recovery {
  index: string;
  shard: string;
  source?: string;
  target?: string;
  bytesRecovered: number;
  bytesTotal: number;
  /** `peer`, `existing_store`, `empty_store`, `snapshot`, `local_shards`. */
  type?: string;
  /** Time since the recovery started, in ms (`_cat/recovery`'s `time`). */
  elapsedMs?: number;
}

export interface NodeLoad {
  node: string;
  shards: number;
  bytes: number;
}

export interface DrainSnapshot extends NodeLoad {
  at: number;
  /** In the cluster's node list now. A node that left has no `_cat/allocation` row: not "0 shards". */
  present: boolean;
  health: HealthSummary;
  recoveriesFromNode: Recovery[];
  recoveriesTotal: number;
  /** Every active recovery (bounded by the recovery concurrency settings, not by the shard count). */
  recoveries: Recovery[];
}

/** A `_cat` number column: empty (null, '') reads as 0. */
export const catNumber = (v: unknown): number => (v === null || v === undefined || v === '' ? 0 : Number(v));
const n = catNumber;

/**
 * One progress poll of a drain. Costs O(nodes + active recoveries) whatever the shard count:
 * _cat/allocation for the node's shards and bytes, _cat/recovery?active_only for what is moving,
 * _cluster/health for the overall state, _cat/nodes for whether the node is still there.
 */
export async function readDrainSnapshot(
  cluster: ClusterReader,
  node: string,
  now = Date.now(),
): Promise<DrainSnapshot> {
  const [load, recoveries, health, nodes] = await Promise.all([
    readNodeLoad(cluster, node),
    readActiveRecoveries(cluster),
    cluster.health(),
    readNodeNames(cluster),
  ]);
  return {
    ...load,
    at: now,
    present: nodes.has(node),
    health,
    recoveriesFromNode: recoveries.filter((r) => r.source === node),
    recoveriesTotal: recoveries.length,
    recoveries,
  };
}

/** The names of the nodes in the cluster now: one `_cat/nodes` call, O(nodes). */
export async function readNodeNames(cluster: ClusterReader): Promise<Set<string>> {
  const rows = await cluster.call(() => cluster.client.cat.nodes({ format: 'json', h: ['name'] }));
  return new Set(rows.map((r) => String(r.name ?? '')));
}

export async function readNodeLoad(cluster: ClusterReader, node: string): Promise<NodeLoad> {
  const rows = await cluster.call(() => cluster.client.cat.allocation({ node_id: node, format: 'json', bytes: 'b' }));
  const row = rows.find((r) => r.node === node);
  return { node, shards: n(row?.shards), bytes: n(row?.['disk.indices']) };
}

export async function readActiveRecoveries(cluster: ClusterReader): Promise<Recovery[]> {
  const rows = await cluster.call(() =>
    cluster.client.cat.recovery({
      active_only: true,
      format: 'json',
      bytes: 'b',
      time: 'ms',
      h: ['index', 'shard', 'type', 'time', 'source_node', 'target_node', 'bytes_recovered', 'bytes_total'],
    }),
  );
  return rows.map((r) => ({
    index: String(r.index ?? ''),
    shard: String(r.shard ?? ''),
    source: r.source_node ?? undefined,
    target: r.target_node ?? undefined,
    bytesRecovered: n(r.bytes_recovered),
    bytesTotal: n(r.bytes_total),
    type: r.type ?? undefined,
    elapsedMs: r.time === null || r.time === undefined || r.time === '' ? undefined : Number(r.time),
  }));
}

const HEALTH_RANK = { green: 0, yellow: 1, red: 2 } as const;

/** "No worse than when the run began": green ≥ yellow ≥ red. */
export function healthNoWorse(now: HealthSummary['status'], baseline: HealthSummary['status']): boolean {
  return HEALTH_RANK[now] <= HEALTH_RANK[baseline];
}
