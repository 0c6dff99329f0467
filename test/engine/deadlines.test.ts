import { afterEach, describe, expect, test } from 'vitest';
import type { RunEvent } from '../../src/engine/types.js';
import { raisedAlarms } from '../../src/engine/alarms.js';
import { harness, REQUESTER, waitForStatus, type Harness } from './helpers.js';
import { eventually } from '../support/wait.js';

type Reminder = Extract<RunEvent, { type: 'pause_reminder' }>;
type Overdue = Extract<RunEvent, { type: 'overdue' }>;

/**
 * I5: no pause lasts forever unannounced, and no step runs past its budget without an alarm.
 * Real Redis and BullMQ, the engine's own clock; the intervals are scaled down (ms, not hours).
 */
describe('deadlines: pause reminders, the step watchdog, and a cancel that ends a hung call', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  const reminders = (runId: string) => h!.reporter.of(runId).filter((e): e is Reminder => e.type === 'pause_reminder');

  test(
    'a pause is brought up again at growing intervals and its deadline is announced, ' +
      'its button says what the step asked, and nothing is decided for the person',
    async () => {
      h = await harness({ pause: { firstMs: 150, maxMs: 600 }, cancelPollMs: 50 });
      const { run } = await h.engine.createRun({
        requester: REQUESTER,
        channel: 'C1',
        runbook: 'toy.deadlines',
        params: { deadlineMs: 700 },
      });
      const paused = await waitForStatus(h, run.id, ['paused']);
      const pause = paused.steps[0]!.pause!;
      expect(pause).toMatchObject({ label: 'Change made', deadlineAt: pause.at + 700 });

      // Due: +150, +450 (300 later), the deadline at +700, then +1050 (600 later: capped at maxMs).
      const seen = await eventually(() => reminders(run.id).length >= 4 && reminders(run.id), 'four words');
      // From the deadline on, every word says the pause is overdue.
      expect(seen.map((r) => r.overdue)).toEqual([false, false, true, true]);
      const due = [150, 450, 700, 1050];
      seen.forEach((r, i) => expect(r.waitedMs).toBeGreaterThanOrEqual(due[i]!)); // never early
      const stored = (await h.engine.getRun(run.id))!.steps[0]!.pause!;
      expect(stored.overdueSince).toBeGreaterThanOrEqual(pause.at + 700);
      expect(stored.reminded).toBe(3);
      // Nothing was decided for the person: still paused, nothing ran after the question.
      expect((await h.engine.getRun(run.id))!.status).toBe('paused');
      expect(await h.calls()).toEqual(['ask']);
    },
  );

  test(
    'a call that hangs past its step budget raises the watchdog alarm while it still runs; ' +
      'a cancel ends the call at once instead of waiting for it',
    async () => {
      h = await harness({ cancelPollMs: 50 });
      const { run } = await h.engine.createRun({
        requester: REQUESTER,
        channel: 'C1',
        runbook: 'toy.deadlines',
        params: { budgetMs: 300 },
      });
      await waitForStatus(h, run.id, ['paused']);
      expect(await h.engine.resume(run.id, REQUESTER)).toEqual({ ok: true });

      const alarm = await eventually(
        () => h!.reporter.of(run.id).find((e): e is Overdue => e.type === 'overdue'),
        'the watchdog alarm',
      );
      expect(alarm).toMatchObject({ step: 'hang', budgetMs: 300 });
      expect(alarm.runningMs).toBeGreaterThanOrEqual(300);
      const running = (await h.engine.getRun(run.id))!;
      expect(running.status).toBe('running'); // the call still hangs: the alarm did not wait for it
      expect(running.steps[1]).toMatchObject({ status: 'running', budgetMs: 300 });
      expect(running.steps[1]?.overdue?.at).toBeGreaterThanOrEqual(running.steps[1]!.startedAt! + 300);

      const asked = Date.now();
      expect(await h.engine.cancel(run.id, REQUESTER)).toEqual({ ok: true });
      const cancelled = await waitForStatus(h, run.id, ['cancelled']);
      expect(Date.now() - asked).toBeLessThan(5_000); // the hung call was aborted, not waited for
      // The aborted call is not a failure of the step: nothing else ran, no error recorded.
      expect(cancelled.steps[1]?.error).toBeUndefined();
      expect(await h.calls()).toEqual(['ask', 'ask', 'hang']);
      expect(h.reporter.of(run.id).filter((e) => e.type === 'overdue')).toHaveLength(1);
    },
  );
});

describe('a change that landed counts even when its step does not end done', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  test('the write was accepted, then the step failed: the alarm shows and the undo is offered (I3, I4)', async () => {
    h = await harness();
    const { run } = await h.engine.createRun({
      requester: REQUESTER,
      channel: 'C1',
      runbook: 'toy.landed',
      params: {},
    });
    const failed = await waitForStatus(h, run.id, ['failed']);
    expect(failed.steps[0]).toMatchObject({ status: 'failed', landed: true });
    expect(raisedAlarms(failed)).toEqual(['box-off']);
    expect(failed.undoOffer?.undoable).toEqual(['off']);
    expect(await h.engine.revert(run.id, REQUESTER)).toEqual({ ok: true });
    const reverted = await waitForStatus(h, run.id, ['reverted']);
    expect(raisedAlarms(reverted)).toEqual([]);
    expect(await h.calls()).toEqual(['off', 'undo-off']);
  });
});
