import type { Client } from '@elastic/elasticsearch';
import { generateCluster, type SimCluster } from '../src/sim/es/index.js';

const TB = 1024 ** 4;

/** The clusters the ETA bench drains: ActiveData-like, generated, with three replica layouts. */
export type EtaLayout = '1 replica' | 'some 0 replicas' | '2 replicas';

/** 12 nodes, 24,000 copies, 6 TB: the cluster (about 500 GB a node). */
export function etaCluster(seed: number): SimCluster {
  return generateCluster({ seed, nodes: 12, shards: 24_000, totalBytes: 6 * TB });
}

/**
 * Puts the generated cluster into `layout` through the ES API, then lets it settle green
 * (unthrottled while it builds copies, then back to the default throttle). For 2 replicas the
 * disks are made 1.6 × larger first: the generator sizes them for one replica.
 */
export async function applyLayout(cluster: SimCluster, client: Client, layout: EtaLayout): Promise<void> {
  if (layout === '1 replica') return;
  const names = (await client.cat.indices({ format: 'json', h: ['index'] })).map((r) => String(r.index)).sort();
  if (layout === 'some 0 replicas') {
    // Every other index without a replica: its primaries are the node's only copies.
    const none = names.filter((_, i) => i % 2 === 0);
    await client.indices.putSettings({ index: none.join(','), settings: { number_of_replicas: 0 } });
    return;
  }
  for (const node of cluster.nodes()) node.diskTotal = Math.round(node.diskTotal * 1.6);
  await client.cluster.putSettings({ persistent: { 'indices.recovery.max_bytes_per_sec': '0' } });
  await client.indices.putSettings({ index: '_all', settings: { number_of_replicas: 2 } });
  for (let i = 0; i < 1000 && cluster.health().status !== 'green'; i++) cluster.advance(60_000);
  if (cluster.health().status !== 'green') throw new Error('the 2-replica cluster did not turn green');
  await client.cluster.putSettings({ persistent: { 'indices.recovery.max_bytes_per_sec': null } });
}
