import { describe, expect, test } from 'vitest';
import { alice, bob, carol, dave, harnessesClosedAfterEach } from '../support/drain-fixture.js';
import { eventually } from '../support/wait.js';

const EXCLUDE = 'cluster.routing.allocation.exclude._ip';

/**
 * Pause, resume and Re-run through the real receiver (signed commands and clicks) on a drain of
 * the simulator, slowed so the drain is still moving shards while the people act.
 */
describe('Pause, Resume, Re-run on Slack (issue 19.2)', () => {
  const start = harnessesClosedAfterEach();

  test(
    'a drain paused from its card stops between re-checks with the exclusion named and no move of its own, ' +
      '/ops resume goes on; cancelled and kept, Re-run makes a fresh plan for a second approval',
    async () => {
      const h = await start({ speed: 0.05 });
      await h.driver.command('/es', 'drain node-3', alice);
      const card = await h.cardWithButton('run_approve');
      await h.click('run_approve', bob, card);
      // Paused once the exclusion is written and the wait has begun (earlier, it is taken before the write).
      await eventually(
        () => h.threadTexts(card.ts).some((t) => t.includes('*Move shards off the node* — persistent')),
        'the exclusion written',
      );
      await h.cardWithButton('run_pause');

      // A stranger cannot pause it; the requester can.
      await h.click('run_pause', dave, card);
      await eventually(
        () => h.ephemeralTexts(dave.user_id).some((t) => t.includes('not in the approvers list')),
        "the stranger's refusal",
      );
      await h.click('run_pause', alice, card);
      const paused = await eventually(() => {
        const c = h.view.card(card.ts)!;
        return h.cardText(c).includes('Paused') && JSON.stringify(c.blocks).includes('run_resume_paused') && c;
      }, 'the paused card');
      const text = h.cardText(paused);
      expect(text).toContain('Paused* by @U0ALICE');
      expect(text).toContain(`Move shards off the node: persistent ${EXCLUDE} = 172.31.0.39`);
      expect(JSON.stringify(paused.blocks)).not.toContain('run_pause"');
      const thread = await eventually(() => {
        const t = h.threadTexts(card.ts);
        return t.some((x) => x.includes('Paused before *Wait while ES moves the shards of the node*')) && t;
      }, 'the paused reply');
      expect(thread.some((t) => t.includes('<@U0ALICE> asked to pause'))).toBe(true);
      const runId = /run `(r-[0-9a-f]+)`/.exec(text)![1]!;
      // The exclusion stays while paused: the bot wrote nothing more.
      expect(h.proxy.settingsWrites()).toEqual([{ persistent: { [EXCLUDE]: '172.31.0.39' } }]);

      await h.driver.command('/ops', `resume ${runId}`, bob);
      await eventually(
        () => h.threadTexts(card.ts).some((t) => t.includes('<@U0BOB> resumed the run after')),
        'the resumed reply',
      );
      await h.cardWithButton('run_pause');

      // Cancelled and kept as is: the card offers Re-run (a drain's wait is not a failed step: no Retry).
      await h.driver.command('/ops', `cancel ${runId}`, alice);
      await h.cardWithButton('run_keep');
      await h.click('run_keep', alice, card);
      const ended = await eventually(() => {
        const c = h.view.card(card.ts)!;
        return JSON.stringify(c.blocks).includes('run_rerun') && !JSON.stringify(c.blocks).includes('run_keep') && c;
      }, 'the Re-run button');
      expect(JSON.stringify(ended.blocks)).not.toContain('run_retry_step');

      // Carol re-runs it: a new card, she is its requester, and bob (not carol) must approve it.
      const before = h.cards().length;
      await h.click('run_rerun', carol, card);
      const second = await eventually(
        () => h.cards().length > before && h.cards().find((c) => c.ts !== card.ts && h.cardText(c).includes('node-3')),
        'the re-run card',
      );
      const secondText = h.cardText(second);
      expect(secondText).toContain('requested by @U0CAROL');
      expect(secondText).toMatch(/Waiting for approval of \*?Move shards off the node/);
      // A fresh plan: node-3 is already in the list (the drain was kept), and the card says so.
      expect(secondText).toContain('172.31.0.39');
      const newRunId = /run `(r-[0-9a-f]+)`/.exec(secondText)![1]!;
      expect(newRunId).not.toBe(runId);
      await eventually(
        () => h.threadTexts(card.ts).some((t) => t.includes(`<@U0CAROL> re-ran this as run \`${newRunId}\``)),
        'the re-run reply in the old thread',
      );
      const run = await h.stack.bot.engine.getRun(newRunId);
      expect(run).toMatchObject({
        requester: carol.user_id,
        rerunOf: runId,
        command: { slash: '/es', text: 'drain node-3' },
      });
      const audit = await h.stack.bot.engine.audit.read({ count: 100, runId });
      expect(audit.map((e) => e.type)).toEqual(
        expect.arrayContaining(['pause_requested', 'run_paused', 'run_resumed', 'rerun']),
      );
    },
  );

  test('/ops pause and /ops rerun say what is wrong and what to do next', async () => {
    const h = await start();
    await h.driver.command('/ops', 'pause r-000000000000', alice);
    await eventually(
      () => h.ephemeralTexts(alice.user_id).some((t) => t.includes('There is no run r-000000000000. /ops jobs lists')),
      'the unknown-run answer',
    );
    await h.driver.command('/es', 'drain node-3', alice);
    const card = await h.cardWithButton('run_approve');
    const runId = /run `(r-[0-9a-f]+)`/.exec(h.cardText(card))![1]!;
    await h.driver.command('/ops', `rerun ${runId}`, alice);
    await eventually(
      () =>
        h
          .ephemeralTexts(alice.user_id)
          .some((t) => t.includes(`Run ${runId} is awaiting approval: only a failed, cancelled, denied or expired`)),
      'the not-ended answer',
    );
    await h.driver.command('/ops', `pause ${runId}`, alice);
    await eventually(
      () => h.ephemeralTexts(alice.user_id).some((t) => t.includes(`Run ${runId} is not waiting for that now`)),
      'the nothing-to-pause answer',
    );
    await h.driver.command('/ops', 'pause', alice);
    await eventually(
      () => h.ephemeralTexts(alice.user_id).some((t) => t.includes('Usage: /ops pause &lt;run&gt;')),
      'the usage line',
    );
  });
});
