import type { ClusterReader, NodeRow } from './cluster-reader.js';
import type { SettingsWithDefaults } from './cluster-allocation-settings.js';
import { readIndexAllocations, type IndexAllocation } from './index-allocation.js';
import { toFlat } from './settings.js';
import { readShardCopies, type ShardCopyRow } from './shard-copies.js';

/**
 * Everything ES's allocation deciders look at, as plain data: the nodes (attributes, roles,
 * disk), every shard copy with its size, every index's allocation settings, and the cluster
 * settings with their defaults. A plan's feasibility is judged on this, without further reads.
 */
export interface AllocationFacts {
  nodes: NodeRow[];
  copies: ShardCopyRow[];
  indices: Record<string, IndexAllocation>;
  settings: SettingsWithDefaults;
}

/**
 * One read of each: `_cat/shards` (the only O(shards) call), the index settings, the cluster
 * settings with defaults, and the nodes unless the plan already has them.
 */
export async function readAllocationFacts(cluster: ClusterReader, nodes?: NodeRow[]): Promise<AllocationFacts> {
  const [copies, indices, settings, known] = await Promise.all([
    readShardCopies(cluster),
    readIndexAllocations(cluster),
    readSettingsWithDefaults(cluster),
    nodes ? Promise.resolve(nodes) : cluster.nodes().then((r) => r.nodes),
  ]);
  return { nodes: known, copies, indices, settings };
}

export async function readSettingsWithDefaults(cluster: ClusterReader): Promise<SettingsWithDefaults> {
  const s = await cluster.call(() =>
    cluster.client.cluster.getSettings({ flat_settings: true, include_defaults: true }),
  );
  return { persistent: toFlat(s.persistent), transient: toFlat(s.transient), defaults: toFlat(s.defaults) };
}
