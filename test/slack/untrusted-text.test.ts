import { afterEach, describe, expect, test } from 'vitest';
import { mrkdwnToText } from '../../src/sim/slack/mrkdwn-to-text.js';
import type { StoredMessage } from '../../src/sim/slack/types.js';
import { alice, bob, carol, type DrainHarness } from '../support/drain-fixture.js';
import { startDrainHarness } from '../support/drain-fixture.js';
import { startMaintenanceHarness } from '../support/maintenance-fixture.js';
import { EVIL, LIVE } from '../support/slack-sent.js';
import { eventually } from '../support/wait.js';

/** Slack's angle-bracket syntax of the payload, as it would be if it went out unescaped. */
function expectNoSlackSyntax(raw: string): void {
  for (const live of LIVE) expect(raw).not.toContain(live);
}

/** The message as sent (blocks and fallback text) has no live syntax, and reads as typed. */
function expectLiteral(m: Pick<StoredMessage, 'text' | 'blocks'>, shown: string): void {
  expectNoSlackSyntax(JSON.stringify({ text: m.text, blocks: m.blocks }));
  expect(shown).toContain(EVIL);
}

describe('untrusted text reaches Slack as literal text', () => {
  let h: DrainHarness;
  afterEach(async () => {
    await h?.close();
  });

  test('SSH output of a failing change: the thread quotes it, the failed card shows it, nobody pinged', async () => {
    // The change prints the payload and fails: its output is both a thread note and the run's error.
    const command = `printf '%s\\n' '${EVIL}'; exit 3`;
    h = await startMaintenanceHarness({ changes: { evil: command } });
    await h.driver.command('/es', 'maintain node-4 --change evil', alice);
    const card = await h.cardWithButton('run_approve');
    await h.click('run_approve', bob, card);
    const failed = await eventually(
      () => h.view.thread(card.ts).find((m) => m.text.includes('the run failed')),
      'the failure reply',
      30_000,
    );
    expectLiteral(failed, mrkdwnToText(failed.text));
    const shown = await eventually(() => {
      const c = h.view.card(card.ts)!;
      return h.cardText(c).includes('exited with 3') ? c : undefined;
    }, 'the failed card');
    expectLiteral(shown, h.cardText(shown));
  });

  test('a deny reason with mentions and a link is quoted in the thread as typed', async () => {
    h = await startDrainHarness();
    await h.driver.command('/es', 'drain node-3', alice);
    const card = await h.cardWithButton('run_deny');
    await h.click('run_deny', carol, card);
    const modal = await eventually(() => h.stack.slack.views()[0], 'the deny modal');
    await h.driver.submitView(
      {
        callback_id: modal.callback_id!,
        private_metadata: modal.private_metadata,
        state: { reason: { text: { type: 'plain_text_input', value: EVIL } } },
      },
      carol,
    );
    const denied = await eventually(
      () => h.view.thread(card.ts).find((m) => m.text.includes('denied the run')),
      'the denial reply',
    );
    expectLiteral(denied, mrkdwnToText(denied.text));
    expect(denied.text).toContain('<@U0CAROL> denied the run'); // the bot's own mention still works
  });
});
