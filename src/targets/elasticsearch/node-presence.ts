import type { ClusterReader } from './cluster-reader.js';

export interface NodePresence {
  name: string;
  ip?: string;
  present: boolean;
  uptimeMs?: number;
}

/**
 * Whether a node is in the cluster now, and since when (its uptime). A restart is proven by the
 * uptime dropping below what it was before the restart, whatever the poll missed in between.
 * One _cat/nodes call: O(nodes).
 */
export async function readNodePresence(cluster: ClusterReader, name: string): Promise<NodePresence> {
  const rows = await cluster.call(() =>
    cluster.client.cat.nodes({ format: 'json', h: ['name', 'ip', 'uptime'], time: 'ms' }),
  );
  const row = rows.find((r) => r.name === name);
  if (!row) return { name, present: false };
  const uptime = Number(row.uptime);
  return { name, ip: row.ip ?? undefined, present: true, ...(Number.isFinite(uptime) ? { uptimeMs: uptime } : {}) };
}
