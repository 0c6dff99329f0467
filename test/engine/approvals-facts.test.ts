import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, afterEach, describe, expect, inject, test } from 'vitest';
import type { AnyRunbook, Run, Step, StepOutcome } from '../../src/engine/types.js';
import { toyRunbooks } from './fixtures/toy-runbooks.js';
import { APPROVER, APPROVER2, harness, REQUESTER, waitForStatus, type Harness } from './helpers.js';
import { eventually } from '../support/wait.js';

/**
 * A maintain in miniature, on an "estate" held in Redis: its facts are the exclusion list and
 * allocation.enable, and its own destructive steps change both (exclude the node, disable
 * movement), with a pause (the human's change) in between. One approval covers the plan.
 */
const redis = new Redis(inject('redisUrl'));
afterAll(() => redis.disconnect());
const ns = `estate${randomBytes(4).toString('hex')}`;
const key = (run: Run, what: string) => `${ns}:${String(run.params.estate)}:${what}`;

function mini(): AnyRunbook {
  const write =
    (what: string, value: (old: string) => string) =>
    async ({ run }: { run: Run }): Promise<StepOutcome> => {
      const k = key(run, what);
      await redis.set(k, value((await redis.get(k)) ?? ''));
      await redis.rpush(key(run, 'calls'), what);
      return { status: 'done' };
    };
  const steps: Step[] = [
    { id: 'exclude', title: 'Exclude the node', destructive: true, run: write('exclusions', (o) => `${o},10.0.0.9`) },
    {
      id: 'change',
      title: 'Make the change',
      run: ({ resumed }) =>
        Promise.resolve(resumed ? { status: 'done' } : { status: 'pause', prompt: 'Change it', action: 'done' }),
    },
    { id: 'disable', title: 'Disable shard movement', destructive: true, run: write('enable', () => 'none') },
    { id: 'stop', title: 'Stop the node', destructive: true, run: write('stopped', () => 'yes') },
  ];
  return {
    name: 'toy.mini-maintain',
    approval: 'plan',
    summary: () => 'exclude, change, disable, stop',
    facts: async (p: { estate: string }) => ({
      exclusions: (await redis.get(`${ns}:${p.estate}:exclusions`)) ?? '',
      enable: (await redis.get(`${ns}:${p.estate}:enable`)) ?? 'all',
    }),
    steps,
  };
}

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

async function start(opts: Parameters<typeof harness>[0] = {}) {
  h = await harness({ runbooks: [...toyRunbooks(redis, `${ns}:toy`), mini()], ...opts });
  const estate = randomBytes(3).toString('hex');
  await redis.set(`${ns}:${estate}:exclusions`, '10.0.0.1');
  const { run } = await h.engine.createRun({
    requester: REQUESTER,
    channel: 'C1',
    runbook: 'toy.mini-maintain',
    params: { estate },
  });
  const calls = () => redis.lrange(`${ns}:${estate}:calls`, 0, -1);
  return { h, run, estate, calls };
}

const paused = (h: Harness, id: string) => waitForStatus(h, id, ['paused']);

describe('facts before every destructive step', () => {
  test("the run's own effects (its exclusion entry, movement it disabled) never void its approval", async () => {
    const { h, run, calls } = await start();
    expect(run.planFacts).toEqual({ exclusions: '10.0.0.1', enable: 'all' });
    expect(await h.engine.approve(run.id, APPROVER)).toEqual({ ok: true });
    await paused(h, run.id);
    expect(await h.engine.resume(run.id, REQUESTER)).toEqual({ ok: true });
    const done = await waitForStatus(h, run.id, ['succeeded']);
    expect(await calls()).toEqual(['exclusions', 'enable', 'stopped']);
    expect(h.reporter.types(run.id)).not.toContain('plan_changed');
    expect(h.reporter.types(run.id).filter((t) => t === 'approval_requested')).toHaveLength(1);
    // The baseline followed the run's own writes (read after each, none after the last step); what
    // the approver saw is kept as it was.
    expect(done.ownFacts).toEqual({ after: 'disable', facts: { exclusions: '10.0.0.1,10.0.0.9', enable: 'none' } });
    expect(done.planFacts).toEqual({ exclusions: '10.0.0.1', enable: 'all' });
  });

  test("someone else's change after the first step voids the approval before the next one: asked again", async () => {
    const { h, run, estate, calls } = await start();
    await h.engine.approve(run.id, APPROVER);
    await paused(h, run.id);
    // While the change is made, someone sets allocation to primaries by hand.
    await redis.set(`${ns}:${estate}:enable`, 'primaries');
    await h.engine.resume(run.id, REQUESTER);
    const again = await eventually(async () => {
      const r = await h.engine.getRun(run.id);
      return r?.pendingApproval?.step === 'disable' ? r : undefined;
    }, 'approval asked again at disable');
    expect(await calls()).toEqual(['exclusions']); // disable did not run on the old approval
    // Only the foreign change is reported; the run's own exclusion entry is not "a change".
    expect(h.reporter.of(run.id)).toContainEqual({
      type: 'plan_changed',
      step: 'disable',
      changes: [{ key: 'enable', before: 'all', after: 'primaries' }],
    });
    expect(again.planFacts).toEqual({ exclusions: '10.0.0.1,10.0.0.9', enable: 'primaries' });
    expect(await h.engine.approve(run.id, APPROVER2)).toEqual({ ok: true });
    await waitForStatus(h, run.id, ['succeeded']);
    expect(await calls()).toEqual(['exclusions', 'enable', 'stopped']);
  });
});

describe('approvals age (maxApprovalAge), judged when the step runs', () => {
  test('a plan approval over an hour old when disable comes to run counts no more: asked again', async () => {
    let now = 1_700_000_000_000;
    const { h, run, calls } = await start({ now: () => now });
    await h.engine.approve(run.id, APPROVER);
    await paused(h, run.id);
    now += 61 * 60_000; // the change took an hour and a minute
    await h.engine.resume(run.id, REQUESTER);
    const again = await eventually(async () => {
      const r = await h.engine.getRun(run.id);
      return r?.pendingApproval?.step === 'disable' ? r : undefined;
    }, 'approval asked again at disable');
    expect(await calls()).toEqual(['exclusions']);
    expect(h.reporter.of(run.id)).toContainEqual({
      type: 'approvals_aged',
      step: 'disable',
      approvers: [APPROVER],
      maxAgeMs: 60 * 60_000,
    });
    expect(again.approvals[0]).toMatchObject({ by: APPROVER, agedOutAt: now });
    const audit = await h.engine.audit.read({ runId: run.id });
    expect(audit.find((e) => e.type === 'approvals_aged')).toMatchObject({ step: 'disable' });
    // A fresh approval (the same person may give it again) lets it go on.
    expect(await h.engine.approve(run.id, APPROVER)).toEqual({ ok: true });
    await waitForStatus(h, run.id, ['succeeded']);
    expect(await calls()).toEqual(['exclusions', 'enable', 'stopped']);
  });

  test('an approval within the age runs every step on it; the age is configurable', async () => {
    let now = 1_700_000_000_000;
    const { h, run, calls } = await start({ now: () => now, maxApprovalAgeMs: 3 * 3600_000 });
    await h.engine.approve(run.id, APPROVER);
    await paused(h, run.id);
    now += 2 * 3600_000;
    await h.engine.resume(run.id, REQUESTER);
    await waitForStatus(h, run.id, ['succeeded']);
    expect(await calls()).toEqual(['exclusions', 'enable', 'stopped']);
    expect(h.reporter.types(run.id)).not.toContain('approvals_aged');
  });
});

describe('break-glass', () => {
  test('no approval is asked for any forward step, and a fact changed mid-run asks nobody', async () => {
    h = await harness({ runbooks: [mini()] });
    const estate = randomBytes(3).toString('hex');
    const { run } = await h.engine.createRun({
      requester: REQUESTER,
      channel: 'C1',
      runbook: 'toy.mini-maintain',
      params: { estate },
      breakGlass: { reason: 'the node is on fire' },
    });
    expect(run.breakGlass).toEqual({ by: REQUESTER, reason: 'the node is on fire' });
    await paused(h, run.id);
    await redis.set(`${ns}:${estate}:enable`, 'primaries'); // someone else's change meanwhile
    await h.engine.resume(run.id, REQUESTER);
    const done = await waitForStatus(h, run.id, ['succeeded']);
    expect(done.approvals).toEqual([]);
    expect(await redis.lrange(`${ns}:${estate}:calls`, 0, -1)).toEqual(['exclusions', 'enable', 'stopped']);
    const types = h.reporter.types(run.id);
    expect(types).not.toContain('approval_requested');
    expect(types).not.toContain('plan_changed');
    expect(types.slice(0, 2)).toEqual(['created', 'break_glass']);
    const audit = await h.engine.audit.read({ runId: run.id });
    expect(audit.find((e) => e.type === 'break_glass')).toMatchObject({
      user: REQUESTER,
      detail: { reason: 'the node is on fire' },
    });
  });
});

describe('a click is for the plan and step its card showed', () => {
  test('a click carrying an old plan hash or another step is refused and writes nothing', async () => {
    const { h, run } = await start({ worker: false });
    const seen = { step: 'exclude', planHash: run.planHash! };
    expect(await h.engine.approve(run.id, APPROVER, { ...seen, planHash: '0000000000000000' })).toEqual({
      ok: false,
      reason: 'stale_card',
    });
    expect(await h.engine.approve(run.id, APPROVER, { ...seen, step: 'stop' })).toEqual({
      ok: false,
      reason: 'stale_card',
    });
    expect((await h.engine.getRun(run.id))?.approvals).toEqual([]);
    expect(await h.engine.approve(run.id, APPROVER, seen)).toEqual({ ok: true });
  });
});
