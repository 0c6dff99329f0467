import type { SimCluster } from '../sim-cluster.js';

/**
 * ClusterInfo as `include_disk_info=true` adds it to an allocation explanation: each data node's
 * disk usage (one data path, so least and most available are the same). The per-shard maps ES
 * also lists are left empty: they would cost a scan of every shard.
 */
export function clusterInfo(cluster: SimCluster): Record<string, unknown> {
  const nodes: Record<string, unknown> = {};
  for (const n of cluster.state.aliveDataNodes()) {
    const used = cluster.state.liveBytes(n);
    const free = n.diskTotal - used;
    const usage = {
      path: '/var/lib/elasticsearch',
      total_bytes: n.diskTotal,
      used_bytes: used,
      free_bytes: free,
      free_disk_percent: n.diskTotal === 0 ? 0 : (100 * free) / n.diskTotal,
      used_disk_percent: n.diskTotal === 0 ? 0 : (100 * used) / n.diskTotal,
    };
    nodes[n.id] = { node_name: n.name, least_available: usage, most_available: usage };
  }
  return { nodes, shard_sizes: {}, shard_data_set_sizes: {}, shard_paths: {}, reserved_sizes: [] };
}
