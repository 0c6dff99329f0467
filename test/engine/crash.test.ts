import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { Queue } from 'bullmq';
import { afterEach, describe, expect, inject, test } from 'vitest';
import { Engine } from '../../src/engine/engine.js';
import { toyRunbooks } from './fixtures/toy-runbooks.js';
import { approvers, harness, RecordingReporter, REQUESTER, waitForStatus, type Harness } from './helpers.js';
import { eventually } from '../support/wait.js';

const FIXTURE = fileURLToPath(new URL('./fixtures/crash-worker.ts', import.meta.url));
const LOCK = { lockDurationMs: 1000, stalledIntervalMs: 300 };
const base = { requester: REQUESTER, channel: 'C1', runbook: 'toy.crash' };

let h: Harness | undefined;
let child: ChildProcess | undefined;
const extra: Engine[] = [];
afterEach(async () => {
  child?.kill('SIGKILL');
  child = undefined;
  for (const e of extra.splice(0)) await e.close();
  await h?.close();
  h = undefined;
});

/** Starts a worker process on the harness's prefix and queue; resolves when it takes jobs. */
async function startChildWorker(hh: Harness): Promise<ChildProcess> {
  const proc = spawn(process.execPath, ['--import', 'tsx', FIXTURE], {
    env: {
      ...process.env,
      REDIS_URL: inject('redisUrl'),
      PREFIX: hh.prefix,
      QUEUE: hh.queueName,
      NS: hh.ns,
      LOCK_MS: String(LOCK.lockDurationMs),
      STALLED_MS: String(LOCK.stalledIntervalMs),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  proc.stderr?.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  await new Promise<void>((resolve, reject) => {
    proc.stdout?.on('data', (d: Buffer) => {
      if (d.toString().includes('ready')) resolve();
    });
    proc.on('exit', (code) => reject(new Error(`crash worker exited (${code}) before ready: ${stderr}`)));
  });
  return proc;
}

async function kill(proc: ChildProcess): Promise<void> {
  const exited = once(proc, 'exit');
  proc.kill('SIGKILL');
  await exited;
}

const counts = async (hh: Harness) => {
  const keys = ['a', 'b', 'b-calls', 'c', 'c-calls', 'd'];
  const values = await hh.redis.mget(keys.map((k) => `${hh.ns}:count:${k}`));
  return Object.fromEntries(keys.map((k, i) => [k, Number(values[i] ?? 0)]));
};

/** A second engine on the same prefix and queue: another worker process, as far as Redis can tell. */
function sameStore(hh: Harness): Engine {
  const e = new Engine({
    redis: inject('redisUrl'),
    prefix: hh.prefix,
    queueName: hh.queueName,
    runbooks: toyRunbooks(hh.redis, hh.ns),
    reporter: new RecordingReporter(),
    approvers,
  });
  extra.push(e);
  return e;
}

describe('durable across worker crashes', () => {
  test('SIGKILL while a step waits: another worker resumes there; finished steps never repeat', async () => {
    h = await harness({ worker: false });
    child = await startChildWorker(h);
    const { run } = await h.engine.createRun({ ...base, params: {} });
    await eventually(async () => (await counts(h!))['b-calls']! >= 2, 'step b to be re-checking');
    await kill(child);
    child = undefined;
    const atKill = await counts(h);
    expect(atKill).toMatchObject({ a: 1, b: 0, c: 0, d: 0 });

    await h.engine.startWorker(LOCK);
    await h.redis.set(`${h.ns}:flag`, '1');
    const done = await waitForStatus(h, run.id, ['succeeded'], 20_000);
    expect(await counts(h)).toMatchObject({ a: 1, b: 1, c: 1, d: 1, 'c-calls': 1 });
    expect((await counts(h))['b-calls']).toBeGreaterThan(atKill['b-calls']!);
    expect(done.steps.map((s) => s.status)).toEqual(['done', 'done', 'done', 'done']);
  });

  test(
    'SIGKILL inside a step call: the stalled job is picked up after ' + 'its lock lapses; only that step runs again',
    async () => {
      h = await harness({ worker: false });
      await h.redis.set(`${h.ns}:flag`, '1');
      child = await startChildWorker(h);
      const { run } = await h.engine.createRun({ ...base, params: { slowFirstCallMs: 60_000 } });
      await eventually(async () => (await counts(h!))['c-calls'] === 1, 'step c to be running');
      await kill(child);
      child = undefined;
      expect(await counts(h)).toMatchObject({ a: 1, b: 1, c: 0, d: 0 });
      expect((await h.engine.getRun(run.id))?.steps[2]).toMatchObject({ id: 'c', status: 'running', attempts: 0 });

      await h.engine.startWorker(LOCK);
      const done = await waitForStatus(h, run.id, ['succeeded'], 20_000);
      // c was interrupted, so it ran twice; every step that completed did so exactly once.
      expect(await counts(h)).toMatchObject({ a: 1, b: 1, c: 1, d: 1, 'c-calls': 2, 'b-calls': 1 });
      expect(done.steps.map((s) => [s.id, s.attempts])).toEqual([
        ['a', 1],
        ['b', 1],
        ['c', 1],
        ['d', 1],
      ]);
    },
  );

  test('SIGKILL while a failing run restores what a stop restores: the next worker finishes it', async () => {
    h = await harness({ worker: false });
    child = await startChildWorker(h);
    const { run } = await h.engine.createRun({ ...base, runbook: 'toy.stop-crash', params: {} });
    await eventually(
      async () => Number(await h!.redis.get(`${h!.ns}:count:unraise-calls`)) >= 2,
      'the stop to be restoring',
    );
    expect((await h.engine.getRun(run.id))?.stopping).toMatchObject({
      status: 'failed',
      step: 'boom',
      undoing: ['raise'],
    });
    await kill(child);
    child = undefined;

    await h.engine.startWorker(LOCK);
    await h.redis.set(`${h.ns}:flag`, '1');
    const failed = await waitForStatus(h, run.id, ['failed'], 20_000);
    expect(Number(await h.redis.get(`${h.ns}:count:raise`))).toBe(1);
    expect(Number(await h.redis.get(`${h.ns}:count:unraise`))).toBe(1);
    expect(failed.error).toBe('it broke');
    expect(failed.steps.map((s) => [s.id, s.status])).toEqual([
      ['raise', 'undone'],
      ['boom', 'failed'],
    ]);
    expect(failed.undoOffer).toBeUndefined(); // nothing left to revert
    expect(h.reporter.of(run.id).filter((e) => e.type === 'failed')).toHaveLength(1);
  });

  test('close() lets the step in flight finish and checkpoint; the next worker carries on after it', async () => {
    h = await harness({ worker: false });
    await h.redis.set(`${h.ns}:flag`, '1');
    const first = sameStore(h);
    await first.startWorker(LOCK);
    const { run } = await h.engine.createRun({ ...base, params: { slowFirstCallMs: 500 } });
    await eventually(async () => (await counts(h!))['c-calls'] === 1, 'step c to be running');
    await first.close();
    // close() returned only after c finished and was recorded; d did not start on a closing worker.
    const between = await h.engine.getRun(run.id);
    expect(between?.steps.map((s) => s.status)).toEqual(['done', 'done', 'done', 'pending']);
    expect(await counts(h)).toMatchObject({ c: 1, d: 0 });

    await h.engine.startWorker(LOCK);
    await waitForStatus(h, run.id, ['succeeded'], 20_000);
    expect(await counts(h)).toMatchObject({ a: 1, b: 1, c: 1, 'c-calls': 1, d: 1 });
  });

  test('a starting worker re-queues a run whose job was lost', async () => {
    h = await harness({ worker: false });
    const { run } = await h.engine.createRun({ ...base, params: {} });
    await h.redis.set(`${h.ns}:flag`, '1');
    // Simulate a creator that died between saving the run and queueing it.
    const queue = new Queue(h.queueName, { connection: { url: inject('redisUrl') }, prefix: `${h.prefix}:bull` });
    await queue.remove(run.id);
    expect(await queue.getJob(run.id)).toBeUndefined();
    await queue.close();
    await h.engine.startWorker(LOCK);
    await waitForStatus(h, run.id, ['succeeded'], 20_000);
    expect(await counts(h)).toMatchObject({ a: 1, b: 1, c: 1, d: 1 });
  });
});
