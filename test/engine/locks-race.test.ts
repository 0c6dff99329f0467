import { createConnection, createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, inject, test } from 'vitest';
import { Engine } from '../../src/engine/engine.js';
import { RunLockedError } from '../../src/engine/index.js';
import { approvers, harness, RecordingReporter, REQUESTER, type Harness } from './helpers.js';
import { toyRunbooks } from './fixtures/toy-runbooks.js';

/**
 * A TCP proxy in front of the real Redis that can hold back one client's request: the first
 * chunk containing `marker` (and everything after it on that connection) waits until released.
 * It makes "web process A is between two Redis calls" a state a test can stand in.
 */
async function gatedRedisProxy(target: URL, marker: string) {
  let held: (() => void) | undefined;
  let onHeld: () => void = () => undefined;
  const heldNow = new Promise<void>((r) => (onHeld = r));
  const sockets: Socket[] = [];
  const server: Server = createServer((client) => {
    const upstream = createConnection(Number(target.port), target.hostname);
    sockets.push(client, upstream);
    const queue: Buffer[] = [];
    let gated = false;
    client.on('data', (chunk: Buffer) => {
      if (!gated && !held && chunk.includes(marker)) {
        gated = true;
        held = () => {
          gated = false;
          for (const c of queue.splice(0)) upstream.write(c);
        };
        onHeld();
      }
      if (gated) queue.push(chunk);
      else upstream.write(chunk);
    });
    upstream.on('data', (chunk) => client.write(chunk));
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
    client.on('close', () => upstream.destroy());
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `redis://127.0.0.1:${(server.address() as AddressInfo).port}`,
    heldNow,
    release: () => held?.(),
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise((r) => server.close(r));
    },
  };
}

let h: Harness | undefined;
let other: Engine | undefined;
let proxy: Awaited<ReturnType<typeof gatedRedisProxy>> | undefined;
afterEach(async () => {
  proxy?.release();
  await other?.close();
  await proxy?.close();
  await h?.close();
  h = other = proxy = undefined;
});

describe('a lock is taken with the run, atomically', () => {
  test('web process A is held just before it saves its run: B cannot take the lock A is about to hold', async () => {
    h = await harness({ worker: false });
    // The request that stores a new run carries its doc; nothing else A sends here does.
    proxy = await gatedRedisProxy(new URL(inject('redisUrl')), '"phase":"forward"');
    other = new Engine({
      redis: proxy.url,
      prefix: h.prefix,
      queueName: h.queueName,
      runbooks: toyRunbooks(h.redis, h.ns),
      reporter: new RecordingReporter(),
      approvers,
    });
    const outcome = async (p: Promise<{ created: boolean; run: { id: string } }>): Promise<string> => {
      try {
        const r = await p;
        return r.created ? r.run.id : 'not created';
      } catch (e) {
        if (e instanceof RunLockedError) return `refused: held by ${e.holder.id}`;
        throw e;
      }
    };
    const a = outcome(
      other.createRun({ requester: 'U_A', channel: 'C1', runbook: 'toy.bound', params: { cluster: 'prod' } }),
    );
    await proxy.heldNow;
    const b = await outcome(
      h.engine.createRun({ requester: REQUESTER, channel: 'C1', runbook: 'toy.bound', params: { cluster: 'prod' } }),
    );
    proxy.release();
    const results = [await a, b];
    const created = results.filter((r) => r.startsWith('r-'));
    // One taker: the other is refused naming it. Before, both were created, each believing it held the lock.
    expect(created).toHaveLength(1);
    expect(results).toContain(`refused: held by ${created[0]}`);
    const runs = await h.engine.listRuns({ limit: 10 });
    expect(runs.map((r) => r.id)).toEqual(created);
    expect(await h.redis.get(`${h.prefix}:lock:toy-cluster:prod`)).toBe(created[0]);
  });
});
