import { afterEach, describe, expect, test } from 'vitest';
import type { RunEvent } from '../../src/engine/types.js';
import { APPROVER, APPROVER2, harness, REQUESTER, sleep, STRANGER, waitForStatus, type Harness } from './helpers.js';
import { eventually } from '../support/wait.js';

const base = { requester: REQUESTER, channel: 'C1' };
let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const notes = (events: RunEvent[]) => events.flatMap((e) => (e.type === 'note' ? [e] : []));

describe('errors, cancel and revert', () => {
  test('a retryable error keeps the run in its step: one warning for the outage, one note on recovery', async () => {
    h = await harness();
    const { run } = await h.engine.createRun({ ...base, runbook: 'toy.flaky', params: { failures: 4 } });
    const done = await waitForStatus(h, run.id, ['succeeded']);
    expect(await h.calls()).toEqual(['flaky', 'flaky', 'flaky', 'flaky', 'flaky', 'after']);
    expect(done.steps[0]).toMatchObject({ status: 'done', attempts: 5, summary: 'up after 4 failures' });
    expect(done.steps[0]?.retry).toBeUndefined();
    const posted = notes(h.reporter.of(run.id));
    expect(posted.map((n) => n.level)).toEqual(['warning', 'info']);
    expect(posted[0]?.text).toMatch(/ECONNREFUSED.*Retrying with backoff/);
    expect(posted[1]?.text).toMatch(/recovered after 4 failed attempts/);
    expect(h.reporter.types(run.id).filter((t) => t === 'step_started')).toHaveLength(2);
  });

  test(
    'continuous failure past giveUpAfterMs fails the run with the last error, the state reached and what can ' +
      'be undone',
    async () => {
      h = await harness({ retry: { baseMs: 20, maxMs: 40, giveUpAfterMs: 250 } });
      const { run } = await h.engine.createRun({ ...base, runbook: 'toy.outage', params: {} });
      const failed = await waitForStatus(h, run.id, ['failed']);
      expect(failed.error).toMatch(/cluster answered 503 \(still failing after .* of retries; gave up\)/);
      const down = failed.steps[1];
      expect(down).toMatchObject({ id: 'down', status: 'failed' });
      expect(down?.attempts).toBeGreaterThan(2);
      expect(down?.state).toEqual({ lastTry: (down?.attempts ?? 0) - 1 });
      expect(failed.steps[2]?.status).toBe('skipped');
      expect(failed.undoOffer?.undoable).toEqual(['setup']);
      const ev = h.reporter.of(run.id).find((e) => e.type === 'failed');
      expect(ev).toMatchObject({ type: 'failed', step: 'down', undoable: ['setup'] });
      expect(notes(h.reporter.of(run.id)).filter((n) => n.level === 'warning')).toHaveLength(1);
      expect(await h.calls()).not.toContain('never');
    },
  );

  test('a non-retryable error fails at once; revert then runs the undo of what was done', async () => {
    h = await harness();
    const { run } = await h.engine.createRun({ ...base, runbook: 'toy.broken', params: {} });
    const failed = await waitForStatus(h, run.id, ['failed']);
    expect(failed.error).toBe('x is undefined');
    expect(failed.steps.map((s) => s.attempts)).toEqual([1, 1]);
    expect(await h.engine.revert(run.id, STRANGER)).toEqual({ ok: false, reason: 'not_approver' });
    expect(await h.engine.revert(run.id, REQUESTER)).toEqual({ ok: true });
    const reverted = await waitForStatus(h, run.id, ['reverted']);
    expect(await h.calls()).toEqual(['setup', 'bug', 'undo-setup']);
    expect(reverted.steps.map((s) => s.status)).toEqual(['undone', 'failed']);
    expect(h.reporter.of(run.id).at(-1)).toEqual({ type: 'reverted', by: REQUESTER });
  });

  test('a fail outcome fails the run; with nothing to undo nothing is offered', async () => {
    h = await harness();
    const { run } = await h.engine.createRun({ ...base, runbook: 'toy.fails', params: {} });
    const failed = await waitForStatus(h, run.id, ['failed']);
    expect(failed.error).toBe('cluster is red; fix it first');
    expect(failed.undoOffer).toBeUndefined();
    expect(h.reporter.of(run.id).at(-1)).toEqual({
      type: 'failed',
      step: 'refuse',
      error: 'cluster is red; fix it first',
      undoable: [],
    });
    expect(await h.engine.revert(run.id, REQUESTER)).toEqual({ ok: false, reason: 'no_pending' });
  });

  test('cancel during a wait stops at the re-check; revert undoes the done steps newest first', async () => {
    h = await harness();
    const { run } = await h.engine.createRun({ ...base, runbook: 'toy.cancel', params: {} });
    await eventually(async () => (await h!.calls()).filter((c) => c === 'long').length >= 2, 'a few re-checks');
    expect(await h.engine.cancel(run.id, STRANGER)).toEqual({ ok: false, reason: 'not_approver' });
    expect(await h.engine.cancel(run.id, REQUESTER)).toEqual({ ok: true });
    expect(await h.engine.cancel(run.id, APPROVER)).toEqual({ ok: false, reason: 'already_decided' });
    const cancelled = await waitForStatus(h, run.id, ['cancelled']);
    expect(cancelled.steps.map((s) => s.status)).toEqual(['done', 'done', 'done', 'skipped', 'skipped']);
    expect(cancelled.undoOffer?.undoable).toEqual(['two', 'one']);
    expect(h.reporter.of(run.id).find((e) => e.type === 'cancelled')).toEqual({
      type: 'cancelled',
      by: REQUESTER,
      undoable: ['two', 'one'],
    });
    const before = (await h.calls()).length;
    await sleep(150);
    expect((await h.calls()).length).toBe(before); // no more re-checks after the cancel

    expect(await h.engine.revert(run.id, APPROVER)).toEqual({ ok: true });
    expect(await h.engine.revert(run.id, APPROVER)).toEqual({ ok: false, reason: 'already_decided' });
    const reverted = await waitForStatus(h, run.id, ['reverted']);
    expect((await h.calls()).slice(before)).toEqual(['undo-two', 'undo-one']);
    expect(reverted.steps.map((s) => s.status)).toEqual(['undone', 'done', 'undone', 'skipped', 'skipped']);
    expect(reverted.undoSteps.map((s) => [s.id, s.status, s.undoOf])).toEqual([
      ['undo-two', 'done', 'two'],
      ['undo-one', 'done', 'one'],
    ]);
    const types = h.reporter.types(run.id);
    expect(types.slice(types.indexOf('cancel_requested'))).toEqual([
      'cancel_requested',
      'cancelled',
      'reverting',
      'step_started',
      'step_done',
      'step_started',
      'step_done',
      'reverted',
    ]);
    const audit = (await h.engine.audit.read({ runId: run.id })).map((e) => e.type);
    expect(audit).toEqual(
      expect.arrayContaining([
        'cancel_requested',
        'cancelled',
        'reverting',
        'reverted',
        'cancel_refused',
        'revert_refused',
      ]),
    );
  });

  test('keep ends a cancelled run with nothing reverted', async () => {
    h = await harness();
    const { run } = await h.engine.createRun({ ...base, runbook: 'toy.cancel', params: {} });
    await eventually(async () => (await h!.calls()).includes('long'), 'the wait');
    await h.engine.cancel(run.id, APPROVER);
    await waitForStatus(h, run.id, ['cancelled']);
    expect(await h.engine.keep(run.id, REQUESTER)).toEqual({ ok: true });
    expect(await h.engine.revert(run.id, REQUESTER)).toEqual({ ok: false, reason: 'already_decided' });
    await sleep(150);
    const kept = await h.engine.getRun(run.id);
    expect(kept).toMatchObject({ status: 'cancelled', undoOffer: { decided: { by: REQUESTER, choice: 'keep' } } });
    expect(await h.calls()).not.toContain('undo-one');
    expect(h.reporter.of(run.id).at(-1)).toEqual({ type: 'kept', by: REQUESTER });
  });

  test('an undo offer nobody answers is kept when it expires', async () => {
    h = await harness({ undoOfferTtlMs: 200 });
    const { run } = await h.engine.createRun({ ...base, runbook: 'toy.broken', params: {} });
    await eventually(() => h!.reporter.types(run.id).includes('kept'), 'the offer to lapse');
    expect(h.reporter.of(run.id).at(-1)).toEqual({ type: 'kept', by: 'timeout' });
    expect(await h.engine.revert(run.id, REQUESTER)).toEqual({ ok: false, reason: 'already_decided' });
  });

  test('cancel while awaiting approval: the destructive step never runs', async () => {
    h = await harness();
    const { run } = await h.engine.createRun({ ...base, runbook: 'toy.destructive', params: {} });
    await waitForStatus(h, run.id, ['awaiting_approval']);
    expect(await h.engine.cancel(run.id, REQUESTER)).toEqual({ ok: true });
    const cancelled = await waitForStatus(h, run.id, ['cancelled']);
    expect(cancelled.pendingApproval).toBeUndefined();
    expect(await h.engine.approve(run.id, APPROVER)).toEqual({ ok: false, reason: 'already_decided' });
    await sleep(100);
    expect(await h.calls()).toEqual(['check']);
  });

  test('a destructive undo step needs its own approval during revert', async () => {
    h = await harness();
    const { run } = await h.engine.createRun({ ...base, runbook: 'toy.destructive-undo', params: {} });
    await eventually(async () => (await h!.calls()).includes('long'), 'the wait');
    await h.engine.cancel(run.id, REQUESTER);
    await waitForStatus(h, run.id, ['cancelled']);
    await h.engine.revert(run.id, REQUESTER);
    const gated = await waitForStatus(h, run.id, ['awaiting_approval']);
    expect(gated).toMatchObject({ phase: 'undo', pendingApproval: { step: 'undo-one' } });
    expect(await h.calls()).not.toContain('undo-one');
    expect(await h.engine.approve(run.id, REQUESTER)).toEqual({ ok: false, reason: 'self' });
    expect(await h.engine.approve(run.id, APPROVER)).toEqual({ ok: true });
    await waitForStatus(h, run.id, ['reverted']);
    expect((await h.calls()).at(-1)).toBe('undo-one');
  });

  test('an approver who chose the revert cannot approve it alone: a second person must', async () => {
    h = await harness();
    const { run } = await h.engine.createRun({ ...base, runbook: 'toy.destructive-undo', params: {} });
    await eventually(async () => (await h!.calls()).includes('long'), 'the wait');
    await h.engine.cancel(run.id, APPROVER);
    await waitForStatus(h, run.id, ['cancelled']);
    expect(await h.engine.revert(run.id, APPROVER)).toEqual({ ok: true });
    await waitForStatus(h, run.id, ['awaiting_approval']);
    expect(await h.engine.approve(run.id, APPROVER)).toEqual({ ok: false, reason: 'reverter' });
    await sleep(100);
    expect(await h.calls()).not.toContain('undo-one');
    expect(await h.engine.approve(run.id, APPROVER2)).toEqual({ ok: true });
    await waitForStatus(h, run.id, ['reverted']);
    expect((await h.calls()).at(-1)).toBe('undo-one');
  });

  test('a pause can be cancelled', async () => {
    h = await harness();
    const { run } = await h.engine.createRun({ ...base, runbook: 'toy.pause', params: {} });
    await waitForStatus(h, run.id, ['paused']);
    expect(await h.engine.cancel(run.id, REQUESTER)).toEqual({ ok: true });
    await waitForStatus(h, run.id, ['cancelled']);
    expect(await h.engine.resume(run.id, REQUESTER)).toEqual({ ok: false, reason: 'already_decided' });
    expect(await h.calls()).toEqual(['ask']);
  });
});
