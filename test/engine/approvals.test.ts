import { afterEach, describe, expect, test } from 'vitest';
import { APPROVER, APPROVER2, harness, REQUESTER, sleep, STRANGER, waitForStatus, type Harness } from './helpers.js';
import { eventually } from '../support/wait.js';

const base = { requester: REQUESTER, channel: 'C1' };
let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

/** Starts toy.destructive and waits until it stops at the 'delete' gate. */
async function atGate(harnessOpts: Parameters<typeof harness>[0] = {}) {
  h = await harness(harnessOpts);
  const { run } = await h.engine.createRun({ ...base, runbook: 'toy.destructive', params: {} });
  const gated = await waitForStatus(h, run.id, ['awaiting_approval']);
  return { h, run: gated };
}

describe('two-person rule', () => {
  test("approval 'plan': one approval covers every destructive forward step; an undo still asks", async () => {
    h = await harness();
    const { run } = await h.engine.createRun({ ...base, runbook: 'toy.plan-approval', params: {} });
    expect(run.status).toBe('awaiting_approval');
    expect(await h.engine.approve(run.id, APPROVER)).toEqual({ ok: true });
    const done = await waitForStatus(h, run.id, ['succeeded']);
    expect(await h.calls()).toEqual(['stop', 'change', 'restart']);
    expect(done.approvals).toHaveLength(1);
    expect(h.reporter.types(run.id).filter((t) => t === 'approval_requested')).toHaveLength(1);
  });

  test("approval 'step' (default) asks again for each destructive step", async () => {
    h = await harness();
    const { run } = await h.engine.createRun({ ...base, runbook: 'toy.two-gates', params: {} });
    await h.engine.approve(run.id, APPROVER);
    await eventually(
      async () => (await h!.engine.getRun(run.id))?.pendingApproval?.step === 'restart',
      'the second gate',
    );
    expect(await h.calls()).toEqual(['stop']);
    expect(await h.engine.approve(run.id, APPROVER2)).toEqual({ ok: true });
    await waitForStatus(h, run.id, ['succeeded']);
    expect(await h.calls()).toEqual(['stop', 'restart']);
  });

  test('a destructive step waits for an approval, then runs at once', async () => {
    const { h, run } = await atGate();
    expect(run.pendingApproval).toMatchObject({ step: 'delete' });
    expect(run.cursor).toBe('delete');
    await sleep(150);
    expect(await h.calls()).toEqual(['check']); // nothing destructive without approval
    expect(await h.engine.approve(run.id, APPROVER)).toEqual({ ok: true });
    const done = await waitForStatus(h, run.id, ['succeeded']); // well before the 30 min expiry
    expect(await h.calls()).toEqual(['check', 'delete', 'after']);
    // eslint-disable-next-line @typescript-eslint/no-unsafe-assignment -- vitest types its asymmetric matchers as any
    expect(done.approvals).toEqual([{ step: 'delete', by: APPROVER, at: expect.any(Number) }]);
    expect(done.pendingApproval).toBeUndefined();
    expect(h.reporter.types(run.id)).toEqual([
      'created',
      'step_started',
      'step_done',
      'approval_requested',
      'approved',
      'step_started',
      'step_done',
      'step_started',
      'step_done',
      'succeeded',
    ]);
    const audit = await h.engine.audit.read({ runId: run.id });
    expect(audit.find((e) => e.type === 'approved')).toMatchObject({ user: APPROVER, step: 'delete' });
  });

  test('the requester cannot approve their own run, even when on the approvers list', async () => {
    const { h, run } = await atGate();
    expect(await h.engine.approve(run.id, REQUESTER)).toEqual({ ok: false, reason: 'self' });
    expect((await h.engine.getRun(run.id))?.status).toBe('awaiting_approval');
    expect(h.reporter.of(run.id)).toContainEqual({ type: 'approval_refused', by: REQUESTER, reason: 'self' });
    expect((await h.engine.audit.read({ runId: run.id })).map((e) => e.type)).toContain('approval_refused');
  });

  test('someone who is not an approver is refused', async () => {
    const { h, run } = await atGate();
    expect(await h.engine.approve(run.id, STRANGER)).toEqual({ ok: false, reason: 'not_approver' });
    expect(await h.engine.deny(run.id, STRANGER)).toEqual({ ok: false, reason: 'not_approver' });
    await sleep(100);
    expect(await h.calls()).toEqual(['check']);
  });

  test('double clicks and repeated deliveries count once', async () => {
    const { h, run } = await atGate();
    const results = await Promise.all([
      h.engine.approve(run.id, APPROVER),
      h.engine.approve(run.id, APPROVER),
      h.engine.approve(run.id, APPROVER2),
    ]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok)).toEqual([
      { ok: false, reason: 'already_decided' },
      { ok: false, reason: 'already_decided' },
    ]);
    await waitForStatus(h, run.id, ['succeeded']);
    expect(await h.engine.approve(run.id, APPROVER)).toEqual({ ok: false, reason: 'already_decided' });
    expect((await h.engine.getRun(run.id))?.approvals).toHaveLength(1);
    expect(h.reporter.types(run.id).filter((t) => t === 'approved')).toHaveLength(1);
    expect(await h.calls()).toEqual(['check', 'delete', 'after']);
  });

  test('a denial stops the run before the destructive step', async () => {
    const { h, run } = await atGate();
    expect(await h.engine.deny(run.id, APPROVER, 'not during business hours')).toEqual({ ok: true });
    const denied = await waitForStatus(h, run.id, ['denied']);
    expect(denied.steps.map((s) => s.status)).toEqual(['done', 'skipped', 'skipped']);
    expect(await h.engine.approve(run.id, APPROVER2)).toEqual({ ok: false, reason: 'already_decided' });
    await sleep(150);
    expect(await h.calls()).toEqual(['check']);
    expect(h.reporter.of(run.id)).toContainEqual({ type: 'denied', by: APPROVER, reason: 'not during business hours' });
    // The job is gone once the run is settled: nothing is left to wake.
    await eventually(
      async () => (await h.redis.zcard(`${h.prefix}:bull:${h.queueName}:delayed`)) === 0,
      'delayed job to go',
    );
  });

  test('the requester may withdraw (deny) their own request', async () => {
    const { h, run } = await atGate();
    expect(await h.engine.deny(run.id, REQUESTER)).toEqual({ ok: true });
    await waitForStatus(h, run.id, ['denied']);
  });

  test('an unanswered request expires and nothing runs', async () => {
    const { h, run } = await atGate({ approvalTtlMs: 300 });
    const expired = await waitForStatus(h, run.id, ['expired']);
    expect(expired.steps.map((s) => s.status)).toEqual(['done', 'skipped', 'skipped']);
    expect(await h.engine.approve(run.id, APPROVER)).toEqual({ ok: false, reason: 'expired' });
    expect(await h.calls()).toEqual(['check']);
    expect(h.reporter.types(run.id).slice(-2)).toEqual(['expired', 'approval_refused']);
    expect((await h.engine.audit.read({ runId: run.id })).map((e) => e.type)).toContain('expired');
  });

  test('an approval after the deadline is refused even before the worker notices', async () => {
    let now = 1_000_000;
    h = await harness({ now: () => now, worker: false });
    const { run } = await h.engine.createRun({ ...base, runbook: 'toy.first-destructive', params: {} });
    now += 31 * 60_000;
    expect(await h.engine.approve(run.id, APPROVER)).toEqual({ ok: false, reason: 'expired' });
  });

  test('a run whose first step is destructive asks for approval at creation, before any worker', async () => {
    h = await harness({ worker: false });
    const { run } = await h.engine.createRun({ ...base, runbook: 'toy.first-destructive', params: {} });
    expect(run.status).toBe('awaiting_approval');
    expect(run.pendingApproval?.step).toBe('delete');
    expect(h.reporter.types(run.id)).toEqual(['created', 'approval_requested']);
    expect(await h.engine.approve(run.id, APPROVER)).toEqual({ ok: true });
    await h.engine.startWorker();
    await waitForStatus(h, run.id, ['succeeded']);
    expect(await h.calls()).toEqual(['delete', 'after']);
  });

  test('approve with nothing pending says so; unknown runs are unknown', async () => {
    h = await harness({ worker: false });
    const { run } = await h.engine.createRun({ ...base, runbook: 'toy.three', params: {} });
    expect(await h.engine.approve(run.id, APPROVER)).toEqual({ ok: false, reason: 'no_pending' });
    expect(await h.engine.approve('r-000000000000', APPROVER)).toEqual({ ok: false, reason: 'unknown_run' });
  });
});
