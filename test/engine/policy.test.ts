import { afterEach, describe, expect, test } from 'vitest';
import { RunLockedError } from '../../src/engine/index.js';
import { APPROVER, APPROVER2, harness, REQUESTER, STRANGER, waitForStatus, type Harness } from './helpers.js';
import { eventually } from '../support/wait.js';

const base = { requester: REQUESTER, channel: 'C1' };
let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('N of M approvals', () => {
  test('2 of M: two distinct approvers; the requester, a repeated click and a non-approver do not count', async () => {
    h = await harness();
    const { run } = await h.engine.createRun({
      ...base,
      runbook: 'toy.bound',
      params: { cluster: 'a' },
      approvalsRequired: 2,
    });
    expect(await h.engine.approve(run.id, REQUESTER)).toEqual({ ok: false, reason: 'self' });
    expect(await h.engine.approve(run.id, STRANGER)).toEqual({ ok: false, reason: 'not_approver' });
    expect(await h.engine.approve(run.id, APPROVER)).toEqual({ ok: true });
    expect(await h.engine.approve(run.id, APPROVER)).toEqual({ ok: false, reason: 'already_approved' });
    const half = await h.engine.getRun(run.id);
    expect(half!.status).toBe('awaiting_approval');
    expect(await h.calls()).toEqual([]);
    expect(h.reporter.of(run.id)).toContainEqual({
      type: 'approved',
      step: 'write',
      by: APPROVER,
      count: 1,
      required: 2,
    });
    expect(await h.engine.approve(run.id, APPROVER2)).toEqual({ ok: true });
    await waitForStatus(h, run.id, ['succeeded']);
    expect(await h.calls()).toEqual(['write', 'after']);
    const audit = (await h.engine.audit.read({ runId: run.id })).map((e) => `${e.type}:${e.user ?? ''}`);
    expect(audit).toEqual(
      expect.arrayContaining([
        `approval_refused:${REQUESTER}`,
        `approval_refused:${STRANGER}`,
        `approved:${APPROVER}`,
        `approval_refused:${APPROVER}`,
        `approved:${APPROVER2}`,
      ]),
    );
  });
});

describe('approvals are bound to the plan', () => {
  test('facts that change after approval void it: the card is told what changed and asked again', async () => {
    h = await harness({ worker: false });
    await h.redis.set(`${h.ns}:facts`, '10.0.0.1');
    const { run } = await h.engine.createRun({ ...base, runbook: 'toy.bound', params: { cluster: 'b' } });
    expect(run.planFacts).toEqual({ exclusions: '10.0.0.1' });
    await h.engine.approve(run.id, APPROVER);
    await h.redis.set(`${h.ns}:facts`, '10.0.0.1,10.0.0.2'); // someone drained another node meanwhile
    await h.engine.startWorker();
    const again = await eventually(async () => {
      const r = await h!.engine.getRun(run.id);
      return r?.pendingApproval ? r : undefined;
    }, 'a new approval request');
    expect(await h.calls()).toEqual([]);
    expect(again.planFacts).toEqual({ exclusions: '10.0.0.1,10.0.0.2' });
    expect(h.reporter.of(run.id)).toContainEqual({
      type: 'plan_changed',
      step: 'write',
      changes: [{ key: 'exclusions', before: '10.0.0.1', after: '10.0.0.1,10.0.0.2' }],
    });
    // The old approval no longer counts; the same approver may approve the new plan.
    expect(await h.engine.approve(run.id, APPROVER)).toEqual({ ok: true });
    await waitForStatus(h, run.id, ['succeeded']);
    expect(await h.calls()).toEqual(['write', 'after']);
  });

  test('unchanged facts: the approval stands', async () => {
    h = await harness();
    await h.redis.set(`${h.ns}:facts`, 'same');
    const { run } = await h.engine.createRun({ ...base, runbook: 'toy.bound', params: { cluster: 'c' } });
    await h.engine.approve(run.id, APPROVER);
    await waitForStatus(h, run.id, ['succeeded']);
    expect(h.reporter.types(run.id)).not.toContain('plan_changed');
  });
});

describe('cluster lock', () => {
  test(
    'a second run on the same lock is refused with the holder; ' + 'another lock is free; an ended run frees it',
    async () => {
      h = await harness();
      const { run: first } = await h.engine.createRun({ ...base, runbook: 'toy.bound', params: { cluster: 'prod' } });
      const refused = await h.engine
        .createRun({ ...base, requester: APPROVER2, runbook: 'toy.bound', params: { cluster: 'prod' } })
        .catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(RunLockedError);
      expect((refused as RunLockedError).holder.id).toBe(first.id);
      expect((refused as Error).message).toContain(`held by run ${first.id}`);
      expect((refused as Error).message).toContain(`<@${REQUESTER}>`);
      const other = await h.engine.createRun({ ...base, runbook: 'toy.bound', params: { cluster: 'staging' } });
      expect(other.created).toBe(true);
      await h.engine.deny(first.id, APPROVER, 'not now');
      await waitForStatus(h, first.id, ['denied']);
      const next = await h.engine.createRun({ ...base, runbook: 'toy.bound', params: { cluster: 'prod' } });
      expect(next.created).toBe(true);
      expect(next.run.lock).toBe('toy-cluster:prod');
    },
  );

  test('a retried delivery of the same request is not refused by its own lock', async () => {
    h = await harness();
    const a = await h.engine.createRun({
      ...base,
      runbook: 'toy.bound',
      params: { cluster: 'x' },
      idempotencyKey: 'trigger-1',
    });
    const b = await h.engine.createRun({
      ...base,
      runbook: 'toy.bound',
      params: { cluster: 'x' },
      idempotencyKey: 'trigger-1',
    });
    expect(b).toMatchObject({ created: false, run: { id: a.run.id } });
  });
});
