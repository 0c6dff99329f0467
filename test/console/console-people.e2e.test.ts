import { describe, expect, test } from 'vitest';
import { eventually } from '../support/wait.js';
import { actAs, consoleInChromium, type } from './support/browser.js';

describe('the console in headless Chromium: people, ephemerals, confirm dialogs, the Deny modal', () => {
  const c = consoleInChromium();

  const drainCard = () => c.page.locator('#messages .msg', { hasText: 'Drain node-2' }).last();

  test('a usage error is only visible to the person who typed the command', async () => {
    await actAs(c.page, 'alice');
    await type(c.page, '/es bogus');
    const usage = c.page.locator('#messages .msg.ephemeral', { hasText: 'unknown command "bogus" for /es' });
    await usage.waitFor();
    // What the page shows is what the Slack stand-in holds for alice, and nothing for the others.
    expect(c.s.view.ephemeralTexts('U0ALICE').some((t) => t.includes('unknown command "bogus"'))).toBe(true);
    await actAs(c.page, 'carol');
    await usage.waitFor({ state: 'detached' });
    await actAs(c.page, 'alice');
    await usage.waitFor();
  });

  test(
    '"Back" in a confirm dialog sends nothing; Deny opens a modal on the clicker\'s screen only, and its ' +
      'reason reaches the thread',
    async () => {
      await actAs(c.page, 'alice');
      await type(c.page, '/es drain node-2');
      await drainCard().locator('button[data-action-id="run_approve"]').waitFor();
      const ts = await drainCard().getAttribute('data-ts');
      const run = c.s.view.card(ts!)!;
      // The bot has said all it says about a new request once the thread asks for an approver.
      await eventually(
        () => c.s.view.threadTexts(run.ts).some((t) => t.includes('needs approval')),
        'the approval request in the thread',
      );

      await actAs(c.page, 'bob');
      await drainCard().locator('button[data-action-id="run_approve"]').click();
      const confirm = c.page.locator('[data-dialog="confirm"]');
      expect(await confirm.locator('.dialog-body').innerText()).toContain(
        "Move shards off the node will run on @alice's request.",
      );
      const before = c.s.stack.slack.calls.length;
      await confirm.getByRole('button', { name: 'Back' }).click();
      await confirm.waitFor({ state: 'detached' });
      expect(c.s.stack.slack.calls.length).toBe(before); // the bot heard nothing, so it said nothing
      expect(c.s.view.threadTexts(run.ts).some((t) => t.includes('approved'))).toBe(false);

      await actAs(c.page, 'carol');
      await drainCard().locator('button[data-action-id="run_deny"]').click();
      const modal = c.page.locator('[data-dialog="modal"]');
      await modal.waitFor();
      expect(await modal.locator('.dialog-title').innerText()).toBe('Deny this run');
      expect(await modal.locator('label').innerText()).toContain('Why? (shown in the thread)');
      expect(c.s.stack.slack.callsTo('views.open')).toHaveLength(1); // the bot opened it through the Web API
      await actAs(c.page, 'bob');
      await modal.waitFor({ state: 'detached' });
      await actAs(c.page, 'carol');
      await modal.waitFor();

      await modal.locator('textarea').fill('not during the nightly backup');
      await modal.getByRole('button', { name: 'Deny' }).click();
      await modal.waitFor({ state: 'detached' });
      await eventually(
        async () => (await drainCard().locator('.b-section').first().innerText()).includes('Denied'),
        'the card saying Denied',
      );
      expect(await drainCard().locator('button.sk-btn').count()).toBe(0);
      const reason = await eventually(
        () => c.s.view.threadTexts(run.ts).find((t) => t.includes('not during the nightly backup')),
        'the reason in the thread',
      );
      expect(reason).toContain('U0CAROL');

      await drainCard().locator('.thread-summary').click();
      await c.page.locator('#thread .msg', { hasText: 'not during the nightly backup' }).waitFor();
    },
  );
});
