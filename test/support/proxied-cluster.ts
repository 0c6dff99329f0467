import { Client } from '@elastic/elasticsearch';
import { afterEach } from 'vitest';
import { startEsSimulator, type SimCluster } from '../../src/sim/es/index.js';
import { ClusterReader } from '../../src/targets/elasticsearch/index.js';
import { startRecordingProxy, type RecordingProxy } from './recording-proxy.js';

export interface ProxiedCluster {
  /** Every request the reader sent, as the cluster got it. */
  proxy: RecordingProxy;
  client: Client;
  reader: ClusterReader;
}

/**
 * A simulated cluster (no clock ticks: simulated time only) behind a recording proxy, with an ES
 * client and a ClusterReader pointed at the proxy; everything closed after each test.
 * `drop` (see startRecordingProxy): true drops a request before it reaches the cluster.
 */
export function proxiedClusterAfterEach(): (
  cluster: SimCluster,
  opts?: { name?: string; drop?: () => boolean; maxRetries?: number },
) => Promise<ProxiedCluster> {
  const open: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const close of open.splice(0).reverse()) await close();
  });
  return async (cluster, opts = {}) => {
    const sim = await startEsSimulator({ cluster, tickMs: 0 });
    open.push(() => sim.close());
    const drop = opts.drop;
    const proxy = await startRecordingProxy(sim.url, undefined, drop ? () => !drop() : undefined);
    open.push(() => proxy.close());
    const client = new Client({
      node: proxy.url,
      ...(opts.maxRetries !== undefined ? { maxRetries: opts.maxRetries } : {}),
    });
    open.push(() => client.close());
    return { proxy, client, reader: new ClusterReader(opts.name ?? 'local', client, proxy.url) };
  };
}
