import { describe, expect, test } from 'vitest';
import type { Progress } from '../../src/engine/index.js';
import { silentLogger } from '../../src/log.js';
import { drainParams } from '../../src/runbooks/index.js';
import { waitForEmpty } from '../../src/runbooks/es-drain/wait-for-empty.js';
import { generateCluster } from '../../src/sim/es/index.js';
import { AllocationWriter, planDrain } from '../../src/targets/elasticsearch/index.js';
import { proxiedClusterAfterEach } from '../support/proxied-cluster.js';

const POLL_MS = 10_000;

interface Poll {
  at: number;
  fraction: number;
  eta: number;
  shardReads: number;
}

/**
 * The real wait step drains node-3 of a generated 12-node cluster (1 replica, 300 GB) in the ES
 * simulator, polling every simulated 10 s through a recording proxy. Simulated time only.
 */
describe('the drain ETA on a generated cluster', () => {
  const start = proxiedClusterAfterEach();

  async function drain(
    throttleAt?: { fraction: number; value: string },
    /** `_cat/shards` fails (the client's own call rejects) while fewer polls than this were made. */
    shardTableDownForPolls = 0,
  ): Promise<{ polls: Poll[]; finish: number }> {
    const cluster = generateCluster({ seed: 42, nodes: 12, shards: 1_200, totalBytes: 300 * 1024 ** 3 });
    const { proxy, client, reader } = await start(cluster, { name: 'test' });
    const cat = client.cat;
    const readShards = cat.shards.bind(cat);
    const plan = await planDrain(reader, 'node-3', '_ip');
    await new AllocationWriter(reader).addExclusion('_ip', plan.value);
    let last: Progress = {};
    const params = drainParams(plan);
    const ctx = {
      run: { params },
      params,
      state: {},
      attempt: 0,
      now: () => cluster.now,
      log: silentLogger,
      progress: (p: Progress) => Promise.resolve(void (last = p)),
      note: () => Promise.resolve(),
      signal: new AbortController().signal,
    } as unknown as Parameters<typeof waitForEmpty>[0];
    const shardReads = () => proxy.requests.filter((r) => r.path.includes('_cat/shards')).length;
    const polls: Poll[] = [];
    let changed = false;
    for (let i = 0; i < 2000; i++) {
      cat.shards = (
        i < shardTableDownForPolls ? () => Promise.reject(new Error('shard table down')) : readShards
      ) as typeof cat.shards;
      const out = await waitForEmpty(ctx, reader, { pollMs: POLL_MS, stallAfterMs: 3600_000 });
      if (out.status === 'done') return { polls, finish: cluster.now };
      expect(out.status).toBe('wait');
      const fraction = Number(last.fraction);
      polls.push({ at: cluster.now, fraction, eta: Number(last.etaSeconds), shardReads: shardReads() });
      if (throttleAt && !changed && fraction >= throttleAt.fraction) {
        await client.cluster.putSettings({ persistent: { 'indices.recovery.max_bytes_per_sec': throttleAt.value } });
        changed = true;
      }
      cluster.advance(POLL_MS);
    }
    throw new Error('the drain did not finish in 2000 polls');
  }

  const errorAt = (polls: Poll[], finish: number, fraction: number) => {
    const p = polls.find((x) => x.fraction >= fraction)!;
    const actual = (finish - p.at) / 1000;
    return (p.eta - actual) / actual;
  };

  test('within ±15 % at 10 and 50 % of bytes moved, one _cat/shards read for the split', async () => {
    const { polls, finish } = await drain();
    expect(Math.abs(errorAt(polls, finish, 0.1))).toBeLessThan(0.15);
    expect(Math.abs(errorAt(polls, finish, 0.5))).toBeLessThan(0.15);
    // The split is read once, when the wait begins: every later poll is O(nodes + active recoveries).
    expect(polls.every((p) => p.shardReads === 1)).toBe(true);
  });

  test('a throttle raised mid-drain changes the forecast at the next poll; the split is re-read once', async () => {
    const { polls, finish } = await drain({ fraction: 0.3, value: '80mb' });
    const i = polls.findIndex((p) => p.fraction >= 0.3);
    const before = polls[i]!;
    const after = polls[i + 1]!;
    // Twice the throttle: the time left halves at once (less the 10 s between the polls).
    expect(after.eta).toBeLessThan(before.eta * 0.6);
    expect(after.shardReads).toBe(2);
    expect(polls.at(-1)!.shardReads).toBe(2);
    expect(Math.abs(errorAt(polls, finish, 0.5))).toBeLessThan(0.15);
  });

  test('shard table unreadable: the rate alone forecasts (wide range), the split is read once it is back', async () => {
    const { polls, finish } = await drain(undefined, 6);
    expect(polls[0]!.eta).toBeNaN(); // no rate yet after one poll, no split: no ETA
    expect(polls[3]!.eta).toBeGreaterThan(0); // from the observed rate
    expect(polls[5]!.shardReads).toBe(0);
    expect(polls[6]!.shardReads).toBe(1);
    // Half the bytes moved during the outage: the rate (the fast replicas) promised far too soon.
    expect(errorAt(polls, finish, 0.5)).toBeLessThan(-0.5);
    const back = polls[6]!;
    expect(Math.abs(back.eta - (finish - back.at) / 1000) / ((finish - back.at) / 1000)).toBeLessThan(0.15);
  });
});
