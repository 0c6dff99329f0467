import { randomBytes } from 'node:crypto';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { LeaseLostError, newRunId, RunStore } from '../../src/engine/run-store.js';
import type { Run } from '../../src/engine/types.js';
import { eventually } from '../support/wait.js';
import { harness, REQUESTER, waitForStatus } from './helpers.js';

let redis: Redis;
beforeAll(() => {
  redis = new Redis(inject('redisUrl'));
});
afterAll(() => {
  redis.disconnect();
});

function aRun(): Run {
  const now = Date.now();
  return {
    id: newRunId(),
    runbook: 'toy',
    params: {},
    requester: 'U1',
    channel: 'C1',
    createdAt: now,
    status: 'running',
    summary: '',
    phase: 'forward',
    steps: [],
    undoSteps: [],
    approvals: [],
    outputs: { by: 'nobody' },
    updatedAt: now,
  };
}

const by = (who: string) => (d: Run) => {
  d.outputs.by = who;
};

describe('the run lease and its fencing token', () => {
  test('a worker whose lease was taken over cannot write the run again; a person still can', async () => {
    const store = new RunStore(redis, `l${randomBytes(4).toString('hex')}`, Date.now);
    const run = aRun();
    await store.create(run);

    const first = await store.takeLease(run.id, 300);
    expect(first).toEqual({ kind: 'taken', token: '1' });
    // Held: nobody else gets it until it lapses, and is told for how long.
    const busy = await store.takeLease(run.id, 300);
    expect(busy.kind).toBe('held');
    expect(busy.kind === 'held' && busy.forMs > 0 && busy.forMs <= 300).toBe(true);

    const a = store.withLease('1');
    await a.update(run.id, by('worker A'));
    expect((await store.get(run.id))?.run.outputs.by).toBe('worker A');

    // Worker A pauses past its lease; worker B takes the run with a newer token.
    const second = await eventually(async () => {
      const t = await store.takeLease(run.id, 300);
      return t.kind === 'taken' ? t : undefined;
    }, 'the lapsed lease to be taken');
    expect(second.token).toBe('2');
    const b = store.withLease(second.token);

    await expect(a.update(run.id, by('worker A, late'))).rejects.toBeInstanceOf(LeaseLostError);
    expect(await store.renewLease(run.id, '1', 300)).toBe(false);
    await b.update(run.id, by('worker B'));
    await store.update(run.id, (d) => {
      d.outputs.approvedBy = 'a person';
    });
    const snap = await store.get(run.id);
    expect(snap?.run.outputs).toEqual({ by: 'worker B', approvedBy: 'a person' });
    // B's release frees the run for the next pick-up at once; A's stale release frees nothing.
    await store.releaseLease(run.id, '1');
    expect((await store.takeLease(run.id, 300)).kind).toBe('held');
    await store.releaseLease(run.id, second.token);
    expect(await store.takeLease(run.id, 300)).toEqual({ kind: 'taken', token: '3' });
  });

  test('a lease that lapsed with nobody taking it is still the run’s: its worker renews and writes on', async () => {
    const store = new RunStore(redis, `l${randomBytes(4).toString('hex')}`, Date.now);
    const run = aRun();
    await store.create(run);
    const t = await store.takeLease(run.id, 100);
    expect(t.kind).toBe('taken');
    const token = t.kind === 'taken' ? t.token : '';
    await eventually(async () => (await redis.exists(store.leaseKey(run.id))) === 0, 'the lease key to lapse');
    await store.withLease(token).update(run.id, by('the same worker'));
    expect(await store.renewLease(run.id, token, 300)).toBe(true);
    expect((await store.takeLease(run.id, 300)).kind).toBe('held');
    expect(await store.takeLease('r-000000000000', 300)).toEqual({ kind: 'missing' });
  });

  test('a second job for the same run (added by hand, another job id) is refused; the run goes on once', async () => {
    const h = await harness();
    try {
      const { run } = await h.engine.createRun({
        runbook: 'toy.wait',
        params: { checks: 6, recheckMs: 40 },
        requester: REQUESTER,
        channel: 'C1',
      });
      const queue = new Queue(h.queueName, { connection: { url: inject('redisUrl') }, prefix: `${h.prefix}:bull` });
      try {
        const extra = await queue.add('run', { runId: run.id }, { jobId: 'added-by-hand' });
        const done = await waitForStatus(h, run.id, ['succeeded']);
        expect(done.steps.map((s) => [s.id, s.status, s.attempts])).toEqual([
          ['poll', 'done', 6],
          ['after', 'done', 1],
        ]);
        const failed = await eventually(async () => {
          const j = await queue.getJob(extra.id!);
          return j && (await j.getState()) === 'failed' ? j : undefined;
        }, 'the extra job to be refused');
        expect(failed.failedReason).toContain(`refused: job added-by-hand is not run ${run.id}'s job`);
        expect(await h.calls()).toEqual(['poll', 'poll', 'poll', 'poll', 'poll', 'poll', 'after']);
      } finally {
        await queue.close();
      }
    } finally {
      await h.close();
    }
  });
});
