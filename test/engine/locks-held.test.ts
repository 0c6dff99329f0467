import { afterEach, describe, expect, test } from 'vitest';
import { RunLockedError, type AnyRunbook, type Run } from '../../src/engine/index.js';
import { APPROVER, APPROVER2, harness, REQUESTER, waitForStatus, type Harness } from './helpers.js';

/** A change with an undo, then a step that fails: the run ends failed with Revert on offer. */
const failsAfterChange: AnyRunbook = {
  name: 'lk.fails-after-change',
  summary: (p: { key: string }) => `change ${p.key}, then fail`,
  lock: (p: { key: string }) => `lk:${p.key}`,
  steps: [
    {
      id: 'change',
      title: 'Change it',
      destructive: true,
      run: () => Promise.resolve({ status: 'done' }),
      undo: {
        id: 'undo-change',
        title: 'Change it back',
        destructive: true,
        run: () => Promise.resolve({ status: 'done' }),
      },
    },
    { id: 'boom', title: 'Fail', run: () => Promise.resolve({ status: 'fail', reason: 'it broke' }) },
  ],
};
const plain: AnyRunbook = {
  name: 'lk.plain',
  summary: (p: { key: string }) => `plain ${p.key}`,
  lock: (p: { key: string }) => `lk:${p.key}`,
  steps: [{ id: 'write', title: 'Write', destructive: true, run: () => Promise.resolve({ status: 'done' }) }],
};

const base = { requester: REQUESTER, channel: 'C1' };
let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

async function failedWithOffer(key = 'x'): Promise<Run> {
  const { run } = await h!.engine.createRun({ ...base, runbook: failsAfterChange.name, params: { key } });
  expect(await h!.engine.approve(run.id, APPROVER)).toEqual({ ok: true });
  const failed = await waitForStatus(h!, run.id, ['failed']);
  expect(failed.undoOffer).toMatchObject({ undoable: ['change'] });
  return failed;
}

async function refusedBy(p: Promise<unknown>): Promise<RunLockedError | 'created'> {
  try {
    await p;
    return 'created';
  } catch (e) {
    if (e instanceof RunLockedError) return e;
    throw e;
  }
}

describe('a lock is held while its Revert is on offer, and the Revert runs holding it', () => {
  test('failed with Revert on offer: a second run is refused, saying why; Keep as is frees the lock', async () => {
    h = await harness({ runbooks: [failsAfterChange, plain] });
    const a = await failedWithOffer();
    const refused = await refusedBy(h.engine.createRun({ ...base, runbook: 'lk.plain', params: { key: 'x' } }));
    expect(refused).toBeInstanceOf(RunLockedError);
    expect((refused as RunLockedError).holder.id).toBe(a.id);
    expect((refused as Error).message).toContain('its Revert still on offer: choose Revert or Keep as is on its card');
    expect(await h.engine.keep(a.id, REQUESTER)).toEqual({ ok: true });
    const b = await h.engine.createRun({ ...base, runbook: 'lk.plain', params: { key: 'x' } });
    expect(b.created).toBe(true);
    expect(await h.redis.get(`${h.prefix}:lock:lk:x`)).toBe(b.run.id);
  });

  test('an offer that has expired holds nothing', async () => {
    h = await harness({ runbooks: [failsAfterChange, plain], undoOfferTtlMs: 400 });
    const a = await failedWithOffer();
    await expect(
      refusedBy(h.engine.createRun({ ...base, runbook: 'lk.plain', params: { key: 'x' } })),
    ).resolves.toBeInstanceOf(RunLockedError);
    await waitForStatus(h, a.id, ['failed']);
    await expect.poll(() => h!.reporter.types(a.id).includes('kept'), { timeout: 5_000, interval: 25 }).toBe(true);
    expect((await h.engine.createRun({ ...base, runbook: 'lk.plain', params: { key: 'x' } })).created).toBe(true);
  });

  test('the Revert holds the lock while it waits for approval and runs; reverted frees it', async () => {
    h = await harness({ runbooks: [failsAfterChange, plain] });
    const a = await failedWithOffer();
    expect(await h.engine.revert(a.id, REQUESTER)).toEqual({ ok: true });
    await waitForStatus(h, a.id, ['awaiting_approval']);
    const during = await refusedBy(h.engine.createRun({ ...base, runbook: 'lk.plain', params: { key: 'x' } }));
    expect((during as RunLockedError).holder.id).toBe(a.id);
    expect(await h.engine.approve(a.id, APPROVER2)).toEqual({ ok: true });
    await waitForStatus(h, a.id, ['reverted']);
    expect((await h.engine.createRun({ ...base, runbook: 'lk.plain', params: { key: 'x' } })).created).toBe(true);
  });

  test('Revert refused while another run holds the lock: names it, changes nothing, works once it ended', async () => {
    h = await harness({ runbooks: [failsAfterChange, plain] });
    const a = await failedWithOffer();
    // The danger: the lock in another run's hands while this Revert is on offer (a run from a
    // version that released locks on failure, or a lock keyed otherwise). Made by hand here.
    const { run: other } = await h.engine.createRun({ ...base, runbook: 'lk.plain', params: { key: 'y' } });
    await h.redis.set(`${h.prefix}:lock:lk:x`, other.id);
    const refused = await h.engine.revert(a.id, APPROVER);
    expect(refused).toMatchObject({ ok: false, reason: 'locked', holder: { id: other.id } });
    const still = await h.engine.getRun(a.id);
    expect(still).toMatchObject({ status: 'failed', phase: 'forward' });
    expect(still!.undoOffer!.decided).toBeUndefined();
    const audit = await h.engine.audit.read({ count: 5, runId: a.id });
    expect(audit.map((e) => e.type)).toContain('revert_refused');
    expect(await h.engine.deny(other.id, APPROVER, 'not now')).toEqual({ ok: true });
    await waitForStatus(h, other.id, ['denied']);
    expect(await h.engine.revert(a.id, APPROVER)).toEqual({ ok: true });
    expect(await h.redis.get(`${h.prefix}:lock:lk:x`)).toBe(a.id);
  });
});
