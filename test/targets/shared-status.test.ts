import { Client } from '@elastic/elasticsearch';
import { afterEach, describe, expect, test } from 'vitest';
import { startEsSimulator, type EsSimulator } from '../../src/sim/es/index.js';
import { ClusterReader } from '../../src/targets/elasticsearch/index.js';
import { fourNodeCluster } from '../support/drain-fixture.js';
import { startRecordingProxy, type RecordingProxy } from '../support/recording-proxy.js';

/**
 * `/es status` in a burst: the requests that arrive while one read of the cluster is in flight
 * share it (one GET /, one settings, health, nodes and allocation read for all of them); a request
 * after it has settled reads again, and a plain status() (plans, checks) never shares.
 */
describe('sharedStatus: one cluster read for the /es status requests in flight together', () => {
  let sim: EsSimulator | undefined;
  let proxy: RecordingProxy | undefined;
  let client: Client | undefined;
  afterEach(async () => {
    await client?.close();
    await proxy?.close();
    await sim?.close();
  });

  test('twenty at once read once; the next reads again; status() reads each time', async () => {
    sim = await startEsSimulator({ cluster: fourNodeCluster(), tickMs: 0 });
    proxy = await startRecordingProxy(sim.url);
    client = new Client({ node: proxy.url });
    const reader = new ClusterReader('local', client, proxy.url);
    const reads = () => proxy!.requests.filter((r) => r.path === '/' || r.path.startsWith('/_cluster/health')).length;
    const burst = await Promise.all(Array.from({ length: 20 }, () => reader.sharedStatus()));
    expect(new Set(burst).size).toBe(1); // one answer, shared
    expect(burst[0]!.nodes).toHaveLength(4);
    expect(reads()).toBe(2); // GET / and _cluster/health, once each
    await reader.sharedStatus();
    expect(reads()).toBe(4);
    await Promise.all([reader.status(), reader.status()]);
    expect(reads()).toBe(8);
  });

  test('a failed read is not kept: the next request reads again', async () => {
    sim = await startEsSimulator({ cluster: fourNodeCluster(), tickMs: 0 });
    let down = true;
    proxy = await startRecordingProxy(sim.url, undefined, () => !down);
    client = new Client({ node: proxy.url, maxRetries: 0 });
    const reader = new ClusterReader('local', client, proxy.url);
    await expect(reader.sharedStatus()).rejects.toThrow();
    down = false;
    expect((await reader.sharedStatus()).nodes).toHaveLength(4);
  });
});
