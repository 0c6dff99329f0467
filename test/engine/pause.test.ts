import { afterEach, describe, expect, test } from 'vitest';
import { RunLockedError } from '../../src/engine/index.js';
import type { AnyRunbook, RunEvent, Step, StepOutcome } from '../../src/engine/types.js';
import { eventually } from '../support/wait.js';
import { APPROVER, APPROVER2, harness, REQUESTER, STRANGER, waitForStatus, type Harness } from './helpers.js';

type Paused = Extract<RunEvent, { type: 'run_paused' }>;
type Reminder = Extract<RunEvent, { type: 'run_pause_reminder' }>;

/** A call the test lets finish when it wants: proves a pause never cuts a step call short. */
function gate(): { wait: Promise<void>; open(): void } {
  let open = () => undefined as void;
  const wait = new Promise<void>((r) => (open = r));
  return { wait, open };
}

/**
 * Runbooks shaped like a drain: a destructive write (with an undo) whose summary says what it
 * wrote, then a long wait of re-checks, then a last step. Every call is counted per step.
 */
function pauseRunbooks(calls: string[], slow: { wait: Promise<void> }): AnyRunbook[] {
  const step = (id: string, extra: Partial<Step>, run: () => StepOutcome | Promise<StepOutcome>): Step => ({
    id,
    title: `Step ${id}`,
    ...extra,
    run: async () => {
      calls.push(id);
      return run();
    },
  });
  const exclude = step(
    'exclude',
    { destructive: true, undo: step('include', {}, () => ({ status: 'done', summary: 'node-3 back' })) },
    () => ({ status: 'done', summary: 'persistent exclude._name = node-3' }),
  );
  let checks = 0;
  const wait: Step = {
    id: 'wait',
    title: 'Wait while shards move',
    run: async (ctx) => {
      calls.push('wait');
      checks += 1;
      await ctx.progress({ fraction: 0.4, text: '40% moved, 1.2 TB left' });
      return ctx.params.checks !== undefined && checks >= Number(ctx.params.checks)
        ? { status: 'done', summary: `empty after ${checks} checks` }
        : { status: 'wait', recheckInMs: 40 };
    },
  };
  return [
    {
      name: 'p.drain',
      summary: () => 'drain node-3',
      lock: () => 'p-cluster',
      steps: [exclude, wait, step('after', {}, () => ({ status: 'done' }))],
    },
    {
      name: 'p.slow',
      summary: () => 'a slow call, then a next step',
      steps: [
        step('slow', {}, async () => {
          await slow.wait;
          return { status: 'done', summary: 'slow call finished' };
        }),
        step('next', {}, () => ({ status: 'done' })),
      ],
    },
    { name: 'p.quick', summary: () => 'one step', steps: [step('quick', {}, () => ({ status: 'done' }))] },
  ];
}

describe('pause and resume of a whole run (issue 19.2)', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  const start = async (runbook: string, params: Record<string, unknown> = {}) =>
    (await h!.engine.createRun({ requester: REQUESTER, channel: 'C1', runbook, params })).run;
  const of = <T extends RunEvent['type']>(runId: string, type: T) =>
    h!.reporter.of(runId).filter((e): e is Extract<RunEvent, { type: T }> => e.type === type);

  test(
    'paused between two re-checks of a wait: no call while paused, the job is only a delayed one, ' +
      'the lock is kept, the estate is named, reminders come at growing intervals; resume goes on',
    async () => {
      const calls: string[] = [];
      h = await harness({
        runbooks: pauseRunbooks(calls, gate()),
        pause: { firstMs: 100, maxMs: 200 },
        concurrency: 1,
      });
      const run = await start('p.drain', { checks: 1_000_000 });
      expect((await h.engine.approve(run.id, APPROVER)).ok).toBe(true);
      await eventually(() => calls.filter((c) => c === 'wait').length >= 2, 'the wait to re-check');

      expect(await h.engine.pauseRun(run.id, REQUESTER)).toEqual({ ok: true });
      const paused = await waitForStatus(h, run.id, ['paused']);
      expect(paused.hold).toMatchObject({ by: REQUESTER, step: 'wait' });
      // What the estate is left in, from what the steps wrote: the exclusion and the wait's figures.
      expect(paused.hold!.estate).toEqual([
        'Step exclude: persistent exclude._name = node-3',
        'Wait while shards move (stopped between checks): 40% moved, 1.2 TB left',
      ]);
      // The event follows the saved change: wait for it, then it must be exactly this one.
      await eventually(() => of(run.id, 'run_paused').length > 0, 'the run_paused event');
      expect(of(run.id, 'run_paused')).toEqual<Paused[]>([
        { type: 'run_paused', by: REQUESTER, step: 'wait', estate: paused.hold!.estate! },
      ]);
      const callsAtPause = calls.length;

      // Reminders at +100 and +300 (100, then 200 apart: capped at maxMs); not one call meanwhile.
      const reminders = await eventually(
        () => of(run.id, 'run_pause_reminder').length >= 2 && of(run.id, 'run_pause_reminder'),
        'two reminders',
      );
      reminders.slice(0, 2).forEach((r: Reminder, i) => expect(r.waitedMs).toBeGreaterThanOrEqual([100, 300][i]!));
      expect(calls.length).toBe(callsAtPause);
      // No worker slot held: the job is a delayed one, and another run gets the only slot.
      // (Just after a reminder the job is active for a moment, parking itself again: wait for that.)
      await eventually(
        async () => (await (await h!.engine.queue.getJob(run.id))!.getState()) === 'delayed',
        'the job to be a delayed one',
      );
      const other = await start('p.quick');
      await waitForStatus(h, other.id, ['succeeded']);
      // The lock stays with the paused run.
      await expect(start('p.drain')).rejects.toBeInstanceOf(RunLockedError);

      expect(await h.engine.resumeRun(run.id, APPROVER)).toEqual({ ok: true });
      await eventually(() => calls.length > callsAtPause + 1, 'the wait to re-check again after resume');
      const resumed = of(run.id, 'run_resumed')[0]!;
      expect(resumed).toMatchObject({ by: APPROVER });
      expect(resumed.pausedMs).toBeGreaterThanOrEqual(300);
      const after = (await h.engine.getRun(run.id))!;
      expect(after.hold).toBeUndefined();
      expect(['running', 'waiting']).toContain(after.status);

      // Recorded: who asked, when it took effect (with the estate), who resumed.
      const audit = await h.engine.audit.read({ count: 50, runId: run.id });
      const byType = (t: string) => audit.find((e) => e.type === t);
      expect(byType('pause_requested')).toMatchObject({ user: REQUESTER });
      expect(byType('run_paused')).toMatchObject({ user: REQUESTER, detail: { estate: paused.hold!.estate } });
      expect(byType('run_resumed')).toMatchObject({ user: APPROVER });
    },
  );

  test('a pause asked during a step call lets the call finish and stops before the next step', async () => {
    const calls: string[] = [];
    const slow = gate();
    h = await harness({ runbooks: pauseRunbooks(calls, slow) });
    const run = await start('p.slow');
    await eventually(() => calls.includes('slow'), 'the slow call to start');
    expect((await h.engine.pauseRun(run.id, REQUESTER)).ok).toBe(true);
    expect((await h.engine.getRun(run.id))!.status).toBe('running'); // still pausing: the call goes on
    slow.open();
    const paused = await waitForStatus(h, run.id, ['paused']);
    expect(paused.steps.map((s) => s.status)).toEqual(['done', 'pending']);
    expect(paused.hold).toMatchObject({ step: 'next', estate: ['nothing changed by this run yet'] });
    expect(calls).toEqual(['slow']);
    await h.engine.resumeRun(run.id, REQUESTER);
    await waitForStatus(h, run.id, ['succeeded']);
    expect(calls).toEqual(['slow', 'next']);
  });

  test('who may pause, and when a pause makes no sense', async () => {
    const calls: string[] = [];
    h = await harness({ runbooks: pauseRunbooks(calls, gate()) });
    const run = await start('p.drain', { checks: 1_000_000 });
    // Waiting for an approval: nothing runs, nothing to pause.
    expect(await h.engine.pauseRun(run.id, REQUESTER)).toEqual({ ok: false, reason: 'no_pending' });
    await h.engine.approve(run.id, APPROVER);
    await eventually(() => calls.includes('wait'), 'the wait');
    expect(await h.engine.pauseRun(run.id, STRANGER)).toEqual({ ok: false, reason: 'not_approver' });
    expect(await h.engine.resumeRun(run.id, REQUESTER)).toEqual({ ok: false, reason: 'no_pending' });
    expect((await h.engine.pauseRun(run.id, APPROVER)).ok).toBe(true);
    expect(await h.engine.pauseRun(run.id, REQUESTER)).toEqual({ ok: false, reason: 'already_decided' });
    await waitForStatus(h, run.id, ['paused']);
    expect(await h.engine.resumeRun(run.id, STRANGER)).toEqual({ ok: false, reason: 'not_approver' });
    const audit = await h.engine.audit.read({ count: 50, runId: run.id });
    expect(audit.filter((e) => e.type === 'pause_refused').map((e) => e.detail)).toEqual([
      { reason: 'no_pending' },
      { reason: 'not_approver' },
      { reason: 'already_decided' },
    ]);
  });

  test('a cancel of a paused run stops it at once and offers to revert what it changed', async () => {
    const calls: string[] = [];
    h = await harness({ runbooks: pauseRunbooks(calls, gate()), pause: { firstMs: 60_000 } });
    const run = await start('p.drain', { checks: 1_000_000 });
    await h.engine.approve(run.id, APPROVER);
    await eventually(() => calls.includes('wait'), 'the wait');
    await h.engine.pauseRun(run.id, REQUESTER);
    await waitForStatus(h, run.id, ['paused']);
    expect((await h.engine.cancel(run.id, REQUESTER)).ok).toBe(true);
    const cancelled = await waitForStatus(h, run.id, ['cancelled']);
    expect(cancelled.hold).toBeUndefined();
    expect(cancelled.undoOffer?.undoable).toEqual(['exclude']);
    expect(await h.engine.resumeRun(run.id, REQUESTER)).toEqual({ ok: false, reason: 'already_decided' });
  });
});

describe('Retry step of a failed run (issue 19.2)', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  /** `flaky` fails its first `failures` calls (non-retryable errors: the run fails), then works. */
  function retryRunbooks(calls: string[]): AnyRunbook[] {
    let failures = 0;
    const flaky = (id: string, extra: Partial<Step>): Step => ({
      id,
      title: `Step ${id}`,
      ...extra,
      run: (ctx) => {
        calls.push(id);
        failures += 1;
        return Promise.resolve<StepOutcome>(
          failures <= Number(ctx.params.failures ?? 1)
            ? { status: 'fail', reason: `${id} failed (call ${failures})` }
            : { status: 'done', summary: `${id} ok` },
        );
      },
    });
    const ok = (id: string): Step => ({
      id,
      title: `Step ${id}`,
      run: () => {
        calls.push(id);
        return Promise.resolve<StepOutcome>({ status: 'done', summary: `${id} ok` });
      },
    });
    const undo: Step = { ...ok('undo-write'), id: 'undo-write' };
    return [
      {
        name: 'r.write',
        summary: () => 'write, then a settings write that may fail',
        lock: () => 'r-cluster',
        steps: [{ ...ok('write'), destructive: true, undo }, flaky('setting', { retryable: true }), ok('last')],
      },
      {
        name: 'r.destructive',
        summary: () => 'a destructive retryable step',
        steps: [flaky('delete', { destructive: true, retryable: true }), ok('last')],
      },
      { name: 'r.stop', summary: () => 'a node stop', steps: [flaky('stop', { destructive: true })] },
    ];
  }
  const start = async (runbook: string, params: Record<string, unknown> = {}) =>
    (await h!.engine.createRun({ requester: REQUESTER, channel: 'C1', runbook, params })).run;

  test('the failed step runs again and the run goes on; the revert offer is withdrawn', async () => {
    const calls: string[] = [];
    h = await harness({ runbooks: retryRunbooks(calls) });
    const run = await start('r.write');
    await h.engine.approve(run.id, APPROVER);
    const failed = await waitForStatus(h, run.id, ['failed']);
    expect(failed.undoOffer?.undoable).toEqual(['write']);
    expect(failed.steps.map((s) => [s.id, s.status, s.retryable ?? false])).toEqual([
      ['write', 'done', false],
      ['setting', 'failed', true],
      ['last', 'skipped', false],
    ]);
    expect(await h.engine.retryStep(run.id, STRANGER)).toEqual({ ok: false, reason: 'not_approver' });
    expect(await h.engine.retryStep(run.id, REQUESTER)).toEqual({ ok: true });
    const done = await waitForStatus(h, run.id, ['succeeded']);
    expect(calls).toEqual(['write', 'setting', 'setting', 'last']); // the done write is not repeated
    expect(done.undoOffer).toBeUndefined();
    expect(done.error).toBeUndefined();
    expect(h.reporter.of(run.id).filter((e) => e.type === 'step_retried')).toEqual([
      { type: 'step_retried', step: 'setting', by: REQUESTER },
    ]);
    const audit = await h.engine.audit.read({ count: 50, runId: run.id });
    expect(audit.some((e) => e.type === 'step_retried' && e.user === REQUESTER)).toBe(true);
    // Twice: the run is over; nothing to retry.
    expect(await h.engine.retryStep(run.id, REQUESTER)).toEqual({ ok: false, reason: 'no_pending' });
  });

  test('a destructive step is approved again before it is retried; a run with no job left gets one', async () => {
    const calls: string[] = [];
    h = await harness({ runbooks: retryRunbooks(calls) });
    const run = await start('r.destructive');
    await h.engine.approve(run.id, APPROVER);
    await waitForStatus(h, run.id, ['failed']);
    // Nothing to undo: the run settled and its job is gone.
    await eventually(async () => (await h!.engine.queue.getJob(run.id)) === undefined, 'the job to complete');
    expect((await h.engine.retryStep(run.id, REQUESTER)).ok).toBe(true);
    const asking = await waitForStatus(h, run.id, ['awaiting_approval']);
    expect(asking.pendingApproval?.step).toBe('delete');
    expect(calls).toEqual(['delete']); // not run again without a fresh approval
    await h.engine.approve(run.id, APPROVER2);
    await waitForStatus(h, run.id, ['succeeded']);
    expect(calls).toEqual(['delete', 'delete', 'last']);
  });

  test('a step not marked safe to repeat is refused, and Re-run is the way', async () => {
    const calls: string[] = [];
    h = await harness({ runbooks: retryRunbooks(calls) });
    const run = await start('r.stop');
    await h.engine.approve(run.id, APPROVER);
    await waitForStatus(h, run.id, ['failed']);
    expect(await h.engine.retryStep(run.id, REQUESTER)).toEqual({ ok: false, reason: 'not_retryable' });
    expect(calls).toEqual(['stop']);
  });

  test('refused while another run holds the lock the failed run gave up', async () => {
    const calls: string[] = [];
    h = await harness({ runbooks: retryRunbooks(calls), undoOfferTtlMs: 50 });
    const run = await start('r.write');
    await h.engine.approve(run.id, APPROVER);
    await waitForStatus(h, run.id, ['failed']);
    // The revert offer lapses (kept): the lock is free, and another run takes it.
    await eventually(async () => (await h!.engine.getRun(run.id))?.undoOffer?.decided, 'the offer to lapse');
    const other = await start('r.write');
    const refused = await h.engine.retryStep(run.id, REQUESTER);
    expect(refused).toMatchObject({ ok: false, reason: 'locked', holder: { id: other.id } });
    expect((await h.engine.getRun(run.id))!.status).toBe('failed');
  });
});
