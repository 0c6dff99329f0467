import { afterEach, describe, expect, test } from 'vitest';
import type { AnyRunbook } from '../../src/engine/index.js';
import { APPROVER, APPROVER2, harness, REQUESTER, sleep, waitForStatus, type Harness } from './helpers.js';

/** A change with an undo, then a failure: Revert on offer. Each call is counted in Redis. */
const changeThenFail = (h: () => Harness): AnyRunbook => ({
  name: 'rv.change-then-fail',
  summary: () => 'change, then fail',
  lock: () => 'rv:thing',
  steps: [
    {
      id: 'change',
      title: 'Change it',
      destructive: true,
      run: async () => (await h().redis.rpush(`${h().ns}:calls`, 'change'), { status: 'done' }),
      undo: {
        id: 'undo-change',
        title: 'Change it back',
        destructive: true,
        run: async () => (await h().redis.rpush(`${h().ns}:calls`, 'undo-change'), { status: 'done' }),
      },
    },
    { id: 'boom', title: 'Fail', run: () => Promise.resolve({ status: 'fail', reason: 'it broke' }) },
  ],
});

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

async function failed(): Promise<string> {
  h = await harness({ runbooks: [changeThenFail(() => h!)] });
  const { run } = await h.engine.createRun({
    requester: REQUESTER,
    channel: 'C1',
    runbook: 'rv.change-then-fail',
    params: {},
  });
  expect(await h.engine.approve(run.id, APPROVER)).toEqual({ ok: true });
  await waitForStatus(h, run.id, ['failed']);
  return run.id;
}

describe('a Revert needs its own approval, from neither the requester nor the person who chose it', () => {
  test('the requester chose Revert: the requester may not approve it, an approver may', async () => {
    const id = await failed();
    expect(await h!.engine.revert(id, REQUESTER)).toEqual({ ok: true });
    await waitForStatus(h!, id, ['awaiting_approval']);
    expect(await h!.engine.approve(id, REQUESTER)).toEqual({ ok: false, reason: 'self' });
    await sleep(100);
    expect(await h!.calls()).toEqual(['change']);
    expect(await h!.engine.approve(id, APPROVER2)).toEqual({ ok: true });
    await waitForStatus(h!, id, ['reverted']);
    expect(await h!.calls()).toEqual(['change', 'undo-change']);
  });

  test('an approver chose Revert: neither they nor the requester may approve it; a third person must', async () => {
    const id = await failed();
    expect(await h!.engine.revert(id, APPROVER)).toEqual({ ok: true });
    await waitForStatus(h!, id, ['awaiting_approval']);
    expect(await h!.engine.approve(id, APPROVER)).toEqual({ ok: false, reason: 'reverter' });
    expect(await h!.engine.approve(id, REQUESTER)).toEqual({ ok: false, reason: 'self' });
    await sleep(100);
    expect(await h!.calls()).toEqual(['change']);
    expect(await h!.engine.approve(id, APPROVER2)).toEqual({ ok: true });
    const reverted = await waitForStatus(h!, id, ['reverted']);
    expect(reverted.undoSteps.map((s) => [s.id, s.status])).toEqual([['undo-change', 'done']]);
    expect(reverted.approvals.filter((a) => a.step === 'undo-change').map((a) => a.by)).toEqual([APPROVER2]);
  });
});
