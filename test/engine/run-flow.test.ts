import { afterEach, describe, expect, test } from 'vitest';
import { harness, REQUESTER, sleep, waitForStatus, type Harness } from './helpers.js';
import { eventually } from '../support/wait.js';

const base = { requester: REQUESTER, channel: 'C1' };
let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('a run walks its steps', () => {
  test('three steps run once each, in order, with events in order and outputs passed on', async () => {
    h = await harness();
    const { run, created } = await h.engine.createRun({ ...base, runbook: 'toy.three', params: {} });
    expect(created).toBe(true);
    const done = await waitForStatus(h, run.id, ['succeeded']);
    expect(await h.calls()).toEqual(['a', 'b', 'c']);
    expect(done.steps.map((s) => [s.id, s.status, s.attempts])).toEqual([
      ['a', 'done', 1],
      ['b', 'done', 1],
      ['c', 'done', 1],
    ]);
    expect(done.outputs).toEqual({ a: true, b: true, sawA: true });
    expect(done.cursor).toBeUndefined();
    expect(h.reporter.types(run.id)).toEqual([
      'created',
      'step_started',
      'step_done',
      'step_started',
      'step_done',
      'step_started',
      'step_done',
      'succeeded',
    ]);
    expect(
      h.reporter
        .of(run.id)
        .filter((e) => e.type === 'step_started')
        .map((e) => 'step' in e && e.step),
    ).toEqual(['a', 'b', 'c']);
  });

  test('a wait step is re-checked until done, keeping its state, and holds no worker slot meanwhile', async () => {
    h = await harness({ concurrency: 1 });
    const slow = await h.engine.createRun({ ...base, runbook: 'toy.wait', params: { checks: 6, recheckMs: 150 } });
    await eventually(async () => (await h!.calls()).includes('poll'), 'first check');
    // With one worker slot, this run can only finish while the first one is parked as a delayed job.
    const quick = await h.engine.createRun({ ...base, runbook: 'toy.three', params: {} });
    await waitForStatus(h, quick.run.id, ['succeeded']);
    expect((await h.engine.getRun(slow.run.id))?.status).not.toBe('succeeded');
    const done = await waitForStatus(h, slow.run.id, ['succeeded']);
    expect((await h.calls()).filter((c) => c === 'poll')).toHaveLength(6);
    expect(done.steps[0]).toMatchObject({
      id: 'poll',
      status: 'done',
      attempts: 6,
      state: { seen: 6 },
      summary: 'after 6 checks',
    });
    expect(done.steps[0]?.progress).toMatchObject({ text: 'check 6' });
    const types = h.reporter.types(slow.run.id);
    expect(types.filter((t) => t === 'step_started')).toHaveLength(2); // poll once, not once per check
    expect(h.reporter.types(slow.run.id, { withProgress: true }).filter((t) => t === 'progress')).toHaveLength(6);
  });

  test('while it waits between checks the run is "waiting"', async () => {
    h = await harness();
    const { run } = await h.engine.createRun({ ...base, runbook: 'toy.wait', params: { checks: 3, recheckMs: 400 } });
    await waitForStatus(h, run.id, ['waiting']);
    await waitForStatus(h, run.id, ['succeeded']);
  });

  test('pause waits for a human; only the requester or an approver may resume, once', async () => {
    h = await harness();
    const { run } = await h.engine.createRun({ ...base, runbook: 'toy.pause', params: {} });
    const paused = await waitForStatus(h, run.id, ['paused']);
    expect(paused.steps[0]?.pause).toMatchObject({ prompt: 'Restart the box, then press Done', action: 'done' });
    await sleep(100);
    expect(await h.calls()).toEqual(['ask']); // nothing ran while paused
    expect(await h.engine.resume(run.id, 'U_STRANGER')).toEqual({ ok: false, reason: 'not_approver' });
    expect(await h.engine.resume(run.id, REQUESTER)).toEqual({ ok: true });
    const done = await waitForStatus(h, run.id, ['succeeded']);
    expect(await h.engine.resume(run.id, REQUESTER)).toEqual({ ok: false, reason: 'already_decided' });
    expect(done.steps[0]).toMatchObject({ status: 'done', summary: `confirmed by ${REQUESTER}` });
    expect(await h.calls()).toEqual(['ask', 'ask', 'after']);
    expect(h.reporter.types(run.id)).toEqual([
      'created',
      'step_started',
      'paused',
      'resumed',
      'step_done',
      'step_started',
      'step_done',
      'succeeded',
    ]);
  });

  test('resume on a run that is not paused has nothing to resume', async () => {
    h = await harness({ worker: false });
    const { run } = await h.engine.createRun({ ...base, runbook: 'toy.three', params: {} });
    expect(await h.engine.resume(run.id, REQUESTER)).toEqual({ ok: false, reason: 'no_pending' });
    expect(await h.engine.resume('r-nope', REQUESTER)).toEqual({ ok: false, reason: 'unknown_run' });
  });

  test('the same idempotency key creates one run, even when requests race', async () => {
    h = await harness();
    const input = { ...base, runbook: 'toy.three', params: {}, idempotencyKey: 'trigger-123' };
    const results = await Promise.all([
      h.engine.createRun(input),
      h.engine.createRun(input),
      h.engine.createRun(input),
    ]);
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(new Set(results.map((r) => r.run.id)).size).toBe(1);
    const id = results[0].run.id;
    await waitForStatus(h, id, ['succeeded']);
    const again = await h.engine.createRun(input);
    expect(again).toMatchObject({ created: false, run: { id, status: 'succeeded' } });
    expect(await h.calls()).toEqual(['a', 'b', 'c']);
    expect(h.reporter.types(id).filter((t) => t === 'created')).toHaveLength(1);
    expect(await h.engine.listRuns({ limit: 10 })).toHaveLength(1);
  });

  test('unknown runbooks are refused with the list of known ones', async () => {
    h = await harness({ worker: false });
    await expect(h.engine.createRun({ ...base, runbook: 'es.nope', params: {} })).rejects.toThrow(
      /unknown runbook "es.nope"; known: toy.three/,
    );
  });

  test('listRuns is newest first and filters by status; attachMessage records the thread', async () => {
    h = await harness({ worker: false });
    const first = await h.engine.createRun({ ...base, runbook: 'toy.three', params: {} });
    const second = await h.engine.createRun({ ...base, runbook: 'toy.first-destructive', params: {} });
    await h.engine.attachMessage(first.run.id, { channel: 'C1', ts: '123.456' });
    expect((await h.engine.listRuns({ limit: 10 })).map((r) => r.id)).toEqual([second.run.id, first.run.id]);
    expect((await h.engine.listRuns({ limit: 10, statuses: ['awaiting_approval'] })).map((r) => r.id)).toEqual([
      second.run.id,
    ]);
    expect((await h.engine.getRun(first.run.id))?.message).toEqual({ channel: 'C1', ts: '123.456' });
  });

  test('the audit stream records the request, every step start and end, and the result', async () => {
    h = await harness();
    const { run } = await h.engine.createRun({ ...base, runbook: 'toy.three', params: { node: 'es-7' } });
    await waitForStatus(h, run.id, ['succeeded']);
    const entries = await eventually(async () => {
      const e = await h!.engine.audit.read({ runId: run.id, count: 100 });
      return e.length === 8 ? e : undefined;
    }, 'audit entries');
    expect(entries.map((e) => [e.type, e.step])).toEqual([
      ['created', undefined],
      ['step_started', 'a'],
      ['step_done', 'a'],
      ['step_started', 'b'],
      ['step_done', 'b'],
      ['step_started', 'c'],
      ['step_done', 'c'],
      ['succeeded', undefined],
    ]);
    expect(entries[0]).toMatchObject({
      run: run.id,
      runbook: 'toy.three',
      user: REQUESTER,
      detail: { params: { node: 'es-7' } },
    });
    expect(await h.redis.xlen(`${h.prefix}:audit`)).toBe(8);
    expect((await h.engine.audit.read({ count: 3 })).map((e) => e.type)).toEqual([
      'step_started',
      'step_done',
      'succeeded',
    ]);
  });

  test('a reporter that throws does not stop the run', async () => {
    h = await harness({
      reporter: {
        onEvent: () => Promise.reject(new Error('slack down')),
      },
    });
    const { run } = await h.engine.createRun({ ...base, runbook: 'toy.three', params: {} });
    await waitForStatus(h, run.id, ['succeeded']);
  });
});
