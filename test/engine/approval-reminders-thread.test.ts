import { describe, expect, test } from 'vitest';
import { reminderThreadText } from '../../src/slack/views/reminder-view.js';
import { alice, bob, harnessesClosedAfterEach } from '../support/drain-fixture.js';
import { eventually } from '../support/wait.js';

/**
 * The words of approval reminders and expiry in the run's thread, as Slack shows them: the expiry
 * through the real receiver and the Slack stand-in; the reminders' text from the saved run.
 */
describe('approval reminders and expiry in the thread', () => {
  const start = harnessesClosedAfterEach();

  test('an approval nobody gives: "Approval expired after ...: nothing was done", nothing written', async () => {
    const h = await start({ approvalTtlMs: 1_500 });
    await h.driver.command('/es', 'drain node-3', alice);
    const card = await h.cardWithButton('run_approve');
    const expired = await eventually(
      () => h.threadTexts(card.ts).find((t) => t.includes('Approval expired')),
      'the expiry reply',
    );
    expect(expired).toContain('Approval expired after 2s: nothing was done.');
    expect(expired).toContain('*Move shards off the node*');
    expect(h.proxy.settingsWrites()).toEqual([]);
    const run = (await h.stack.bot.engine.listRuns())[0]!;
    expect(run.status).toBe('expired');

    // A reminder of it, as the thread would say it: the step, who may not approve, when it expires.
    const text = reminderThreadText(run, {
      type: 'approval_reminder',
      step: run.steps.find((st) => st.destructive)!.id,
      waitedMs: 45 * 60_000,
      expiresAt: Date.UTC(2026, 11, 1, 18, 0),
    });
    expect(text).toContain(
      '*Move shards off the node* still waits for approval from someone other than ' +
        `<@${alice.user_id}>, asked 45m 00s ago`,
    );
    expect(text).toContain('<!date^1796148000^{date_short_pretty} {time}|2026-12-01 18:00 UTC>');
    expect(text).not.toContain(`<@${bob.user_id}>`);
  });
});
