import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { AuditLog } from '../../src/engine/audit-log.js';
import { newRunId, RunStore } from '../../src/engine/run-store.js';
import type { Run } from '../../src/engine/types.js';

let redis: Redis;
beforeAll(() => {
  redis = new Redis(inject('redisUrl'));
});
afterAll(() => {
  redis.disconnect();
});

const prefix = () => `s${randomBytes(4).toString('hex')}`;

function aRun(id = newRunId()): Run {
  return {
    id,
    runbook: 'toy',
    params: {},
    requester: 'U1',
    channel: 'C1',
    createdAt: Date.now(),
    status: 'running',
    summary: '',
    phase: 'forward',
    steps: [],
    undoSteps: [],
    approvals: [],
    outputs: { n: 0 },
    updatedAt: Date.now(),
  };
}

describe('RunStore', () => {
  test('concurrent updates all land: compare-and-set retries on conflict', async () => {
    const store = new RunStore(redis, prefix(), Date.now);
    const run = aRun();
    await store.create(run);
    await Promise.all(
      Array.from({ length: 25 }, () =>
        store.update(run.id, (d) => {
          d.outputs.n = (d.outputs.n as number) + 1;
        }),
      ),
    );
    const snap = await store.get(run.id);
    expect(snap?.run.outputs.n).toBe(25);
    expect(snap?.rev).toBe(26);
  });

  test('an update that changes nothing writes nothing', async () => {
    const store = new RunStore(redis, prefix(), Date.now);
    const run = aRun();
    await store.create(run);
    const res = await store.update(run.id, () => 'looked');
    expect(res).toMatchObject({ changed: false, rev: 1, value: 'looked' });
    expect(await store.update('r-missing', () => 1)).toBeUndefined();
  });

  test('once-keys are true only the first time, per run', async () => {
    const store = new RunStore(redis, prefix(), Date.now);
    expect(await store.markOnce('r-a', 'k')).toBe(true);
    expect(await store.markOnce('r-a', 'k')).toBe(false);
    expect(await store.markOnce('r-b', 'k')).toBe(true);
  });

  test('run ids are safe as BullMQ job ids', () => {
    for (let i = 0; i < 50; i++) expect(newRunId()).toMatch(/^r-[0-9a-f]{12}$/);
  });
});

describe('AuditLog', () => {
  test('appends to one stream and reads back the latest entries of a run, oldest first, across pages', async () => {
    const p = prefix();
    const audit = new AuditLog(redis, p, Date.now);
    for (let i = 0; i < 450; i++) {
      await audit.append({
        run: i % 3 === 0 ? 'r-x' : 'r-y',
        runbook: 'toy',
        type: 'step_done',
        step: `s${i}`,
        detail: { i },
      });
    }
    expect(await redis.xlen(`${p}:audit`)).toBe(450);
    const x = await audit.read({ runId: 'r-x', count: 160 });
    expect(x).toHaveLength(150);
    expect(x[0]).toMatchObject({ run: 'r-x', runbook: 'toy', type: 'step_done', step: 's0', detail: { i: 0 } });
    expect(x.at(-1)?.step).toBe('s447');
    const last = await audit.read({ count: 2 });
    expect(last.map((e) => e.step)).toEqual(['s448', 's449']);
    expect(last[0]?.user).toBeUndefined();
  });
});
