import type { ClusterReader } from './cluster-reader.js';
import {
  catNumber as n,
  readActiveRecoveries,
  readNodeNames,
  type DrainSnapshot,
  type NodeLoad,
} from './drain-progress.js';

/** A poll of a drain of several nodes: the set's totals, each node's own figures, who is missing. */
export interface DrainSetSnapshot extends DrainSnapshot {
  perNode: NodeLoad[];
  /** Nodes of the set not in the cluster's node list now (I2: never "empty"). */
  missing: string[];
}

/**
 * One progress poll of a drain of `nodes`, at the cost of one node's: `_cat/allocation` for every
 * node (O(nodes)), `_cat/recovery?active_only`, `_cluster/health`, `_cat/nodes`: four calls
 * whatever the set's size or the shard count.
 */
export async function readDrainSetSnapshot(
  cluster: ClusterReader,
  nodes: string[],
  now = Date.now(),
): Promise<DrainSetSnapshot> {
  const [rows, recoveries, health, names] = await Promise.all([
    cluster.call(() => cluster.client.cat.allocation({ format: 'json', bytes: 'b' })),
    readActiveRecoveries(cluster),
    cluster.health(),
    readNodeNames(cluster),
  ]);
  const perNode = nodes.map((node) => {
    const row = rows.find((r) => r.node === node);
    return { node, shards: n(row?.shards), bytes: n(row?.['disk.indices']) };
  });
  const set = new Set(nodes);
  const missing = nodes.filter((node) => !names.has(node));
  return {
    node: nodes.join(', '),
    shards: perNode.reduce((s, x) => s + x.shards, 0),
    bytes: perNode.reduce((s, x) => s + x.bytes, 0),
    at: now,
    present: missing.length === 0,
    health,
    recoveriesFromNode: recoveries.filter((r) => r.source !== undefined && set.has(r.source)),
    recoveriesTotal: recoveries.length,
    recoveries,
    perNode,
    missing,
  };
}
