import { afterEach, describe, expect, test } from 'vitest';
import { allRecords, EngineConfigError, type AnyRunbook, type Step } from '../../src/engine/index.js';
import { RunbookRegistry } from '../../src/engine/runbook-registry.js';
import { eventually } from '../support/wait.js';
import { APPROVER, APPROVER2, harness, REQUESTER, sleep, waitForStatus, type Harness } from './helpers.js';

/**
 * `undoOnStop`: a temporary change the approved plan promised to take back however the run ends
 * (a raised recovery throttle) is taken back by every early stop, a cancel or a failure, before
 * the run ends and before Revert or Keep is offered for the rest, with no approval of its own.
 */
let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const call = (name: string) => async () => (await h!.redis.rpush(`${h!.ns}:calls`, name), { status: 'done' as const });

/** exclude (undo offered) → raise (undone on any stop) → wait (fails, or waits to be cancelled) → restore. */
function stopRunbook(opts: { wait: Step['run']; restoreFails?: boolean }): AnyRunbook {
  const restore = (id: string): Step => ({
    id,
    title: 'Restore the throttle',
    run: opts.restoreFails
      ? () => Promise.resolve({ status: 'fail', reason: 'the cluster refused the write' })
      : call(id),
  });
  return {
    name: 'stop.toy',
    summary: () => 'exclude, raise, wait, restore',
    lock: () => 'stop:thing',
    steps: [
      {
        id: 'exclude',
        title: 'Exclude the node',
        destructive: true,
        run: call('exclude'),
        undo: { id: 'include', title: 'Include the node again', destructive: true, run: call('include') },
      },
      { id: 'raise', title: 'Raise the throttle', run: call('raise'), undo: restore('unraise'), undoOnStop: true },
      { id: 'wait', title: 'Wait', run: opts.wait },
      { id: 'restore', title: 'Restore the throttle', run: call('restore') },
    ],
  };
}

async function started(rb: AnyRunbook): Promise<string> {
  h = await harness({ runbooks: [rb] });
  const { run } = await h.engine.createRun({ requester: REQUESTER, channel: 'C1', runbook: rb.name, params: {} });
  expect(await h.engine.approve(run.id, APPROVER)).toEqual({ ok: true });
  return run.id;
}

describe('undos a stop always runs (undoOnStop)', () => {
  test('a failure: the throttle restored before the run ends failed; Revert offered for the rest', async () => {
    const id = await started(stopRunbook({ wait: () => Promise.resolve({ status: 'fail', reason: 'ES went away' }) }));
    const run = await waitForStatus(h!, id, ['failed']);
    expect(await h!.calls()).toEqual(['exclude', 'raise', 'unraise']);
    expect(run.steps.map((s) => [s.id, s.status])).toEqual([
      ['exclude', 'done'],
      ['raise', 'undone'],
      ['wait', 'failed'],
      ['restore', 'skipped'],
    ]);
    expect(run.error).toBe('ES went away');
    expect(run.stopping).toBeUndefined();
    expect(run.phase).toBe('forward');
    expect(run.undoOffer?.undoable).toEqual(['exclude']);
    expect(run.undoSteps.map((s) => s.id)).toEqual(['include']);
    // What the stop took back stays on the run's record, in the order it ran.
    expect(run.stopSteps?.map((s) => [s.id, s.status])).toEqual([['unraise', 'done']]);
    expect(allRecords(run).map((s) => s.id)).toEqual(['exclude', 'raise', 'wait', 'restore', 'unraise']);
    // One "failed" event, after the restore, offering what is left.
    const failed = h!.reporter.events.filter((e) => e.run === id && e.event.type === 'failed');
    expect(failed.map((e) => e.event)).toEqual([
      { type: 'failed', step: 'wait', error: 'ES went away', undoable: ['exclude'] },
    ]);
    // The rest is the humans' choice, as before: Revert needs its own approval.
    expect(await h!.engine.revert(id, REQUESTER)).toEqual({ ok: true });
    await waitForStatus(h!, id, ['awaiting_approval']);
    expect(await h!.engine.approve(id, APPROVER2)).toEqual({ ok: true });
    await waitForStatus(h!, id, ['reverted']);
    expect(await h!.calls()).toEqual(['exclude', 'raise', 'unraise', 'include']);
  });

  test('a cancel, then Keep: the throttle is restored anyway, the exclusion kept', async () => {
    const id = await started(stopRunbook({ wait: () => Promise.resolve({ status: 'wait', recheckInMs: 50 }) }));
    await waitForStatus(h!, id, ['running', 'waiting']);
    await eventually(async () => (await h!.calls()).includes('raise'), 'the raise');
    expect(await h!.engine.cancel(id, REQUESTER)).toEqual({ ok: true });
    const run = await waitForStatus(h!, id, ['cancelled']);
    expect(await h!.calls()).toEqual(['exclude', 'raise', 'unraise']);
    expect(run.undoOffer?.undoable).toEqual(['exclude']);
    expect(await h!.engine.keep(id, REQUESTER)).toEqual({ ok: true });
    await sleep(100);
    expect(await h!.calls()).toEqual(['exclude', 'raise', 'unraise']);
    const cancelled = h!.reporter.events.filter((e) => e.run === id && e.event.type === 'cancelled');
    expect(cancelled).toHaveLength(1);
  });

  test('"Cancel and revert": the restore first, then the revert of the rest asks its approval', async () => {
    const id = await started(stopRunbook({ wait: () => Promise.resolve({ status: 'wait', recheckInMs: 50 }) }));
    await eventually(async () => (await h!.calls()).includes('raise'), 'the raise');
    expect(await h!.engine.cancel(id, REQUESTER, { revert: true })).toEqual({ ok: true });
    const run = await waitForStatus(h!, id, ['awaiting_approval']);
    expect(run.phase).toBe('undo');
    expect(run.pendingApproval?.step).toBe('include');
    expect(await h!.calls()).toEqual(['exclude', 'raise', 'unraise']);
    expect(await h!.engine.approve(id, APPROVER)).toEqual({ ok: true });
    await waitForStatus(h!, id, ['reverted']);
    expect(await h!.calls()).toEqual(['exclude', 'raise', 'unraise', 'include']);
  });

  test('the restore itself fails: the run ends failed saying both, and Revert still offers the restore', async () => {
    const id = await started(
      stopRunbook({
        wait: () => Promise.resolve({ status: 'fail', reason: 'ES went away' }),
        restoreFails: true,
      }),
    );
    const run = await waitForStatus(h!, id, ['failed']);
    expect(run.error).toBe('ES went away; then Restore the throttle failed: the cluster refused the write');
    expect(run.undoOffer?.undoable).toEqual(['raise', 'exclude']);
    expect(run.steps.find((s) => s.id === 'raise')?.status).toBe('done');
    expect(run.stopSteps?.map((s) => [s.id, s.status])).toEqual([['unraise', 'failed']]);
    // The offered undo records are a fresh pair, not the failed one.
    expect(run.undoSteps.map((s) => [s.id, s.status])).toEqual([
      ['unraise', 'pending'],
      ['include', 'pending'],
    ]);
  });

  test('a runbook whose undoOnStop undo is missing or destructive is refused: it would run unapproved', () => {
    const bad = (undo?: Step): AnyRunbook => ({
      name: 'stop.bad',
      summary: () => 'bad',
      steps: [
        {
          id: 'raise',
          title: 'Raise',
          run: () => Promise.resolve({ status: 'done' }),
          undoOnStop: true,
          ...(undo ? { undo } : {}),
        },
      ],
    });
    const registry = (rb: AnyRunbook) => new RunbookRegistry([rb]).steps(rb, {});
    expect(() => registry(bad())).toThrow(EngineConfigError);
    expect(() =>
      registry(bad({ id: 'lower', title: 'Lower', destructive: true, run: () => Promise.resolve({ status: 'done' }) })),
    ).toThrow(/undoOnStop.*not destructive/);
    expect(() =>
      registry(bad({ id: 'lower', title: 'Lower', run: () => Promise.resolve({ status: 'done' }) })),
    ).not.toThrow();
  });
});
