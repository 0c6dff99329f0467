import { compareSettings, type ClusterStatus, type Clusters, type SettingRow } from '../targets/elasticsearch/index.js';

/** What `/es status` shows: the cluster's state and its allocation settings, side by side. */
export interface ClusterStatusReport {
  cluster: string;
  status: ClusterStatus;
  settings: SettingRow[];
}

/** `/es status`: health, shards, every node, the allocation settings. Read-only, O(nodes). */
export async function readClusterStatus(
  req: { cluster?: string | undefined },
  deps: { clusters: Clusters },
): Promise<ClusterStatusReport> {
  const cluster = deps.clusters.get(req.cluster);
  const status = await cluster.sharedStatus();
  return { cluster: cluster.name, status, settings: compareSettings(status.settings) };
}

/** `/es settings`: the allocation settings, persistent and transient, with which one wins. */
export async function readAllocationSettings(
  req: { cluster?: string | undefined },
  deps: { clusters: Clusters },
): Promise<{ cluster: string; settings: SettingRow[] }> {
  const cluster = deps.clusters.get(req.cluster);
  return { cluster: cluster.name, settings: compareSettings(await cluster.settings()) };
}
