import type { ClusterReader } from './cluster-reader.js';

export interface NodePresence {
  name: string;
  ip?: string;
  present: boolean;
  uptimeMs?: number;
  /**
   * Epoch ms at which the node's current JVM started (`_nodes/jvm` → `jvm.start_time_in_millis`).
   * Every restart starts a new JVM, so a different value proves a restart even when the node was
   * back before anyone looked; absent when it could not be read.
   */
  jvmStartedAt?: number;
}

/**
 * Whether a node is in the cluster now, since when (its uptime) and which JVM it runs (its start
 * time). Two calls of O(nodes): `_cat/nodes` and `_nodes/jvm` filtered to names and start times.
 * (`ephemeral_id` is not in `_nodes` info in ES 8; it is in `_cluster/state/nodes`.)
 */
export async function readNodePresence(cluster: ClusterReader, name: string): Promise<NodePresence> {
  const [rows, info] = await Promise.all([
    cluster.call(() => cluster.client.cat.nodes({ format: 'json', h: ['name', 'ip', 'uptime'], time: 'ms' })),
    cluster.call(() =>
      cluster.client.nodes.info({ metric: 'jvm', filter_path: ['nodes.*.name', 'nodes.*.jvm.start_time_in_millis'] }),
    ),
  ]);
  const row = rows.find((r) => r.name === name);
  if (!row) return { name, present: false };
  const uptime = Number(row.uptime);
  const started = Object.values(info.nodes ?? {}).find((n) => n.name === name)?.jvm?.start_time_in_millis;
  const jvmStartedAt = typeof started === 'string' ? Number(started) : started;
  return {
    name,
    ip: row.ip ?? undefined,
    present: true,
    ...(Number.isFinite(uptime) ? { uptimeMs: uptime } : {}),
    ...(typeof jvmStartedAt === 'number' && Number.isFinite(jvmStartedAt) ? { jvmStartedAt } : {}),
  };
}
