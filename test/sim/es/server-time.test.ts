import { Client } from '@elastic/elasticsearch';
import { describe, expect, test } from 'vitest';
import { startEsSimulator } from '../../../src/sim/es/index.js';
import { cluster, GB, nodes } from './fixtures.js';

describe('simulated time behind the HTTP server', () => {
  test('the automatic tick advances simulated time at real time × speed; speed 0 pauses it', async () => {
    const c = cluster({
      nodes: nodes(3),
      indices: [{ name: 'jobs20160101_000000', shards: 3, replicas: 1, bytesPerShard: GB }],
    });
    const es = await startEsSimulator({ cluster: c, tickMs: 10, speed: 1000 });
    const client = new Client({ node: es.url });
    try {
      const start = c.now;
      await new Promise((r) => setTimeout(r, 200));
      expect(c.now - start).toBeGreaterThanOrEqual(100_000);
      es.setSpeed(0);
      await new Promise((r) => setTimeout(r, 30));
      const paused = c.now;
      await new Promise((r) => setTimeout(r, 100));
      expect(c.now).toBe(paused);

      await client.transport.request({ method: 'PUT', path: '/_sim/speed', body: { factor: 100 } });
      // A node that leaves comes back after its delay; a health wait sees the cluster turn green again.
      await client.transport.request({
        method: 'POST',
        path: '/_sim/nodes/node-2/_restart',
        querystring: { delay_ms: 30_000 },
      });
      expect((await client.cluster.health()).number_of_nodes).toBe(2);
      const green = await client.cluster.health({ wait_for_status: 'green', wait_for_nodes: '3', timeout: '10s' });
      expect(green).toMatchObject({ status: 'green', number_of_nodes: 3, timed_out: false });

      const state = await client.transport.request<Record<string, unknown>>({ method: 'GET', path: '/_sim/state' });
      expect(Object.keys(state)).toEqual(['now', 'speed', 'health', 'faults', 'tick_error', 'nodes', 'relocations']);
      expect(state).toMatchObject({ speed: 100, tick_error: null, faults: { mode: 'none' } });
      expect((state.nodes as Array<{ name: string; shards: number }>).map((n) => n.name)).toEqual([
        'node-1',
        'node-2',
        'node-3',
      ]);
    } finally {
      await client.close();
      await es.close();
    }
  });

  test('closing the server does not wait for held requests or health waits', async () => {
    const c = cluster({
      nodes: nodes(3),
      indices: [{ name: 'jobs20160101_000000', shards: 3, replicas: 1, bytesPerShard: GB }],
    });
    c.stopNode('node-3');
    const es = await startEsSimulator({ cluster: c, tickMs: 0 });
    const client = new Client({ node: es.url, maxRetries: 0 });
    const waiting = client.cluster.health({ wait_for_status: 'green', timeout: '30s' }).catch((e: unknown) => e);
    await client.transport.request({ method: 'PUT', path: '/_sim/faults', body: { mode: 'timeout' } });
    const held = client.info().catch((e: unknown) => e);
    await new Promise((r) => setTimeout(r, 50));
    const started = Date.now();
    await es.close();
    await Promise.all([waiting, held]);
    expect(Date.now() - started).toBeLessThan(5000);
    await client.close();
  });
});
