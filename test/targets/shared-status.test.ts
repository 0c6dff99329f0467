import { describe, expect, test } from 'vitest';
import { fourNodeCluster } from '../support/drain-fixture.js';
import { proxiedClusterAfterEach } from '../support/proxied-cluster.js';

/**
 * `/es status` in a burst: the requests that arrive while one read of the cluster is in flight
 * share it (one GET /, one settings, health, nodes and allocation read for all of them); a request
 * after it has settled reads again, and a plain status() (plans, checks) never shares.
 */
describe('sharedStatus: one cluster read for the /es status requests in flight together', () => {
  const start = proxiedClusterAfterEach();

  test('twenty at once read once; the next reads again; status() reads each time', async () => {
    const { proxy, reader } = await start(fourNodeCluster());
    const reads = () => proxy.requests.filter((r) => r.path === '/' || r.path.startsWith('/_cluster/health')).length;
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
    let down = true;
    const { reader } = await start(fourNodeCluster(), { drop: () => down, maxRetries: 0 });
    await expect(reader.sharedStatus()).rejects.toThrow();
    down = false;
    expect((await reader.sharedStatus()).nodes).toHaveLength(4);
  });
});
