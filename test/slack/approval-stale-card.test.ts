import { afterEach, describe, expect, test } from 'vitest';
import { parsePolicy } from '../../src/config/policy.js';
import { findButton } from '../../src/sim/slack/find-button.js';
import { alice, bob, carol, CHANNEL, startDrainHarness, type DrainHarness } from '../support/drain-fixture.js';
import { eventually } from '../support/wait.js';

const EXCLUDE = 'cluster.routing.allocation.exclude._ip';
const twoOfM = parsePolicy('rules:\n  - command: "es drain"\n    approvals: 2\n', 'policy.yaml');

/** Issue 17.1: a click approves the plan its card showed, never whatever is pending when it lands. */
describe('approval buttons are bound to their step and plan', () => {
  let h: DrainHarness;
  afterEach(async () => {
    await h?.close();
  });

  test(
    '2 of M: bob approves, the facts change and the worker voids it and asks again; carol clicks the ' +
      'card she read before: refused to her alone with the current card, and the run still needs two',
    async () => {
      h = await startDrainHarness({ worker: false, policy: twoOfM });
      await h.driver.command('/es', 'drain node-3', alice);
      const card = await h.cardWithButton('run_approve');
      const before = structuredClone(card.blocks); // the card as carol read it
      const oldValue = JSON.parse(findButton(before, 'run_approve')!.value!) as Record<string, string>;
      expect(oldValue).toMatchObject({ step: 'move-shards-off' });
      expect(oldValue.plan).toMatch(/^[0-9a-f]{16}$/);
      await h.click('run_approve', bob, card);
      await eventually(() => h.cardText(h.cards()[0]!).includes('1 of 2 approvals'), 'the card at 1 of 2');
      await h.es.cluster.putSettings({ persistent: { [EXCLUDE]: '172.31.0.11' } }); // someone drains node-1
      await h.stack.bot.engine.startWorker();
      await eventually(
        () => h.threadTexts(card.ts).find((t) => t.includes('plan changed')),
        'the worker to void the approval and ask again',
      );
      const engine = h.stack.bot.engine;
      const asked = await eventually(async () => {
        const r = (await engine.listRuns())[0];
        return r?.status === 'awaiting_approval' && r.planHash !== oldValue.plan ? r : undefined;
      }, 'the new request');

      // Carol presses Approve on the card as she read it, before the change.
      const res = await h.driver.click({ action_id: 'run_approve' }, carol, {
        channel: CHANNEL,
        ts: card.ts,
        blocks: before,
      });
      expect(res.status).toBe(200);
      const answer = await eventually(
        () => h.view.ephemerals(carol.user_id).find((e) => e.text.includes('no longer the one waiting')),
        'the refusal to carol',
      );
      // Only carol sees it; the thread and channel say nothing of it.
      expect(h.view.ephemerals(bob.user_id)).toEqual([]);
      expect(h.threadTexts(card.ts).join('\n')).not.toContain('no longer the one waiting');
      // The card re-rendered to the current plan: its button carries the new hash.
      const fresh = JSON.parse(findButton(answer.blocks, 'run_approve')!.value!) as Record<string, string>;
      expect(fresh).toEqual({ run: asked.id, step: 'move-shards-off', plan: asked.planHash });
      expect(h.view.text(answer)).toContain('0 of 2 approvals');

      // Nothing was written: no approval recorded for the new plan, nothing sent to the cluster.
      const after = (await engine.getRun(asked.id))!;
      expect(after.status).toBe('awaiting_approval');
      expect(after.approvals.filter((a) => a.planHash === after.planHash)).toEqual([]);
      expect(after.approvals.map((a) => a.by)).toEqual([bob.user_id]); // bob's, void (old plan)
      expect(h.proxy.settingsWrites()).toEqual([]);
      const audit = await engine.audit.read({ runId: asked.id });
      expect(audit.find((e) => e.type === 'approval_refused' && e.user === carol.user_id)).toMatchObject({
        detail: { reason: 'stale_card' },
      });

      // Approving the current card (from the refusal or the channel) counts; two are needed again.
      await h.driver.click({ action_id: 'run_approve' }, carol, {
        channel: CHANNEL,
        ts: answer.ts,
        blocks: answer.blocks!,
        is_ephemeral: true,
      });
      await eventually(
        async () => (await engine.getRun(asked.id))!.approvals.some((a) => a.by === carol.user_id),
        "carol's approval of the new plan",
      );
      expect((await engine.getRun(asked.id))!.status).toBe('awaiting_approval');
      expect(h.proxy.settingsWrites()).toEqual([]);
      await h.click('run_approve', bob, await h.cardWithButton('run_approve'));
      await eventually(
        () => h.proxy.settingsWrites().length > 0,
        'the exclusion written after two approvals of the new plan',
      );
      const done = (await engine.getRun(asked.id))!;
      expect(done.approvals.filter((a) => a.planHash === done.planHash).map((a) => a.by)).toEqual([
        carol.user_id,
        bob.user_id,
      ]);
    },
  );

  test('a card drawn before buttons carried the plan (value = run id) approves nothing', async () => {
    h = await startDrainHarness();
    await h.driver.command('/es', 'drain node-3', alice);
    const card = await h.cardWithButton('run_approve');
    const old = structuredClone(card.blocks);
    const runId = (await h.stack.bot.engine.listRuns())[0]!.id;
    findButton(old, 'run_approve')!.value = runId;
    await h.driver.click({ action_id: 'run_approve' }, bob, { channel: CHANNEL, ts: card.ts, blocks: old });
    await eventually(
      () => h.ephemeralTexts(bob.user_id).some((t) => t.includes('no longer the one waiting')),
      'the refusal',
    );
    expect((await h.stack.bot.engine.getRun(runId))!.approvals).toEqual([]);
    expect(h.proxy.settingsWrites()).toEqual([]);
  });
});
