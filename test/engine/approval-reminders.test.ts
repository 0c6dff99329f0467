import { afterEach, describe, expect, test } from 'vitest';
import type { AnyRunbook, RunEvent, Step } from '../../src/engine/types.js';
import { eventually } from '../support/wait.js';
import { APPROVER, harness, REQUESTER, waitForStatus, type Harness } from './helpers.js';

/**
 * Reminders of a pending approval and of an open Revert offer (issue 19.3, I5): said again in the
 * thread at the growing intervals of a pause (15 min, doubling, at most 4 h apart), and the expiry
 * announced. The engine's clock is the test's: each look of the worker is forced by promoting its
 * delayed job after moving the clock, so the defaults (hours, days) are tested as they are.
 */
const MIN = 60_000;
const HOUR = 60 * MIN;
const T0 = 1_800_000_000_000;

/** A drain's shape: a destructive write with an undo, then a wait of re-checks that never ends. */
function drainLike(calls: string[]): AnyRunbook {
  const exclude: Step = {
    id: 'exclude',
    title: 'Exclude node-3',
    destructive: true,
    undo: { id: 'include', title: 'Include node-3', run: () => Promise.resolve({ status: 'done' }) },
    run: async () => {
      calls.push('exclude');
      return Promise.resolve({ status: 'done', summary: 'exclude._name = node-3' });
    },
  };
  const wait: Step = {
    id: 'wait',
    title: 'Wait while shards move',
    run: async () => {
      calls.push('wait');
      return Promise.resolve({ status: 'wait', recheckInMs: 30 });
    },
  };
  return { name: 'r.drain', summary: () => 'drain node-3', steps: [exclude, wait] };
}

describe('reminders of a pending approval and of an open Revert offer', () => {
  let h: Harness | undefined;
  let now = T0;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  const of = <T extends RunEvent['type']>(runId: string, type: T) =>
    h!.reporter.of(runId).filter((e): e is Extract<RunEvent, { type: T }> => e.type === type);
  const delayed = async (runId: string) =>
    eventually(async () => {
      const job = await h!.engine.queue.getJob(runId);
      return job && (await job.getState()) === 'delayed' ? job : undefined;
    }, 'the run job to sleep as a delayed one');
  /** The clock moves to `at` and the worker looks at the run once (its sleeping job woken). */
  const lookAt = async (runId: string, at: number) => {
    const job = await delayed(runId);
    now = at;
    await job.promote();
  };

  test('a pending approval: reminders at 15 min, 45 min, 1 h 45 (once if missed), then expired after 2 h', async () => {
    const calls: string[] = [];
    now = T0;
    h = await harness({ runbooks: [drainLike(calls)], now: () => now, approvalTtlMs: 2 * HOUR });
    const { run } = await h.engine.createRun({ requester: REQUESTER, channel: 'C1', runbook: 'r.drain', params: {} });
    const reminders = () => of(run.id, 'approval_reminder');

    await lookAt(run.id, T0 + 14 * MIN);
    await delayed(run.id);
    expect(reminders()).toEqual([]);
    await lookAt(run.id, T0 + 15 * MIN);
    await eventually(() => reminders().length === 1, 'the first reminder');
    expect(reminders()[0]).toEqual({
      type: 'approval_reminder',
      step: 'exclude',
      waitedMs: 15 * MIN,
      expiresAt: T0 + 2 * HOUR,
    });
    await lookAt(run.id, T0 + 44 * MIN); // the next is 30 min after the first
    await delayed(run.id);
    expect(reminders()).toHaveLength(1);
    await lookAt(run.id, T0 + 45 * MIN);
    await eventually(() => reminders().length === 2, 'the second reminder');
    // The third was due at 1 h 45; a worker looking only at 1 h 59 says it once.
    await lookAt(run.id, T0 + 119 * MIN);
    await eventually(() => reminders().length === 3, 'the third reminder');
    await delayed(run.id);
    expect(reminders().map((r) => r.waitedMs)).toEqual([15 * MIN, 45 * MIN, 119 * MIN]);
    expect((await h.engine.getRun(run.id))!.pendingApproval).toMatchObject({ reminded: 3 });

    await lookAt(run.id, T0 + 2 * HOUR);
    const expired = await waitForStatus(h, run.id, ['expired']);
    expect(of(run.id, 'expired')).toEqual([{ type: 'expired', step: 'exclude', afterMs: 2 * HOUR }]);
    expect(reminders()).toHaveLength(3); // the expiry is its own word, not a fourth reminder
    expect(expired.steps.map((s) => s.status)).toEqual(['skipped', 'skipped']);
    expect(calls).toEqual([]); // nothing was done
  });

  test('an approval given after the first reminder: no reminder more', async () => {
    const calls: string[] = [];
    now = T0;
    h = await harness({ runbooks: [drainLike(calls)], now: () => now, approvalTtlMs: 2 * HOUR });
    const { run } = await h.engine.createRun({ requester: REQUESTER, channel: 'C1', runbook: 'r.drain', params: {} });
    await lookAt(run.id, T0 + 15 * MIN);
    await eventually(() => of(run.id, 'approval_reminder').length === 1, 'the first reminder');
    await delayed(run.id);
    expect((await h.engine.approve(run.id, APPROVER)).ok).toBe(true);
    await eventually(() => calls.includes('wait'), 'the run to go on');
    now = T0 + 3 * HOUR;
    await eventually(() => calls.filter((c) => c === 'wait').length > 3, 'more re-checks, hours later');
    expect(of(run.id, 'approval_reminder')).toHaveLength(1);
    expect(of(run.id, 'expired')).toEqual([]);
  });

  test('an open Revert offer: reminders at 15 min, once if missed, at most 4 h apart; kept after 7 days', async () => {
    const calls: string[] = [];
    now = T0;
    h = await harness({ runbooks: [drainLike(calls)], now: () => now });
    const { run } = await h.engine.createRun({ requester: REQUESTER, channel: 'C1', runbook: 'r.drain', params: {} });
    await h.engine.approve(run.id, APPROVER);
    await eventually(() => calls.includes('wait'), 'the wait');
    const t1 = T0 + 10 * MIN;
    now = t1;
    expect((await h.engine.cancel(run.id, REQUESTER)).ok).toBe(true);
    const cancelled = await waitForStatus(h, run.id, ['cancelled']);
    expect(cancelled.undoOffer).toMatchObject({ undoable: ['exclude'], offeredAt: t1, expiresAt: t1 + 7 * 24 * HOUR });
    const reminders = () => of(run.id, 'undo_offer_reminder');

    await lookAt(run.id, t1 + 14 * MIN);
    await delayed(run.id);
    expect(reminders()).toEqual([]);
    await lookAt(run.id, t1 + 15 * MIN);
    await eventually(() => reminders().length === 1, 'the first reminder');
    await lookAt(run.id, t1 + 3 * HOUR); // 45 min and 1 h 45 passed meanwhile: one word
    await eventually(() => reminders().length === 2, 'the second reminder');
    await delayed(run.id);
    expect(reminders()).toEqual([
      { type: 'undo_offer_reminder', waitedMs: 15 * MIN, expiresAt: t1 + 7 * 24 * HOUR },
      { type: 'undo_offer_reminder', waitedMs: 3 * HOUR, expiresAt: t1 + 7 * 24 * HOUR },
    ]);
    // Later ones are 4 h apart at most: 3 h 45, 7 h 45, 11 h 45.
    await lookAt(run.id, t1 + 11 * HOUR);
    await eventually(() => reminders().length === 3, 'the third reminder');
    await lookAt(run.id, t1 + 11 * HOUR + 44 * MIN);
    await delayed(run.id);
    expect(reminders()).toHaveLength(3);
    await lookAt(run.id, t1 + 11 * HOUR + 45 * MIN);
    await eventually(() => reminders().length === 4, 'the fourth reminder, 4 h after the third was due');

    await lookAt(run.id, t1 + 7 * 24 * HOUR);
    await eventually(() => of(run.id, 'kept').length === 1, 'the expiry');
    expect(of(run.id, 'kept')).toEqual([{ type: 'kept', by: 'timeout' }]);
    expect(reminders()).toHaveLength(4);
    const kept = (await h.engine.getRun(run.id))!;
    expect(kept.undoOffer?.decided).toMatchObject({ by: 'timeout', choice: 'keep' });
    expect(calls.filter((c) => c === 'exclude')).toHaveLength(1); // nothing reverted
  });
});
