import { describe, expect, test } from 'vitest';
import { eventually } from '../support/wait.js';
import { actAs, consoleInChromium, type } from './support/browser.js';

describe("the console in headless Chromium: opsbot's Home tab", () => {
  const c = consoleInChromium();

  const home = () => c.page.locator('#home');
  /** The lines of one list of the Home tab, from its title to the next title. */
  const homeSection = async (title: string) => {
    const text = await home().locator('#home-body').innerText();
    const start = text.indexOf(title);
    expect(start, `"${title}" on the Home tab`).toBeGreaterThanOrEqual(0);
    const next = ['Waiting for your approval', 'Your runs', 'Active runs']
      .map((t) => text.indexOf(t, start + title.length))
      .filter((i) => i > 0);
    return text.slice(start, next.length ? Math.min(...next) : undefined);
  };

  test(
    'an approver opens Home from the sidebar: the request waiting for them links back to its card, ' +
      'the DM switch flips, and each person sees their own tab',
    async () => {
      await actAs(c.page, 'alice');
      await type(c.page, '/es drain node-2');
      const card = c.page.locator('#messages .msg', { hasText: 'Drain node-2' }).last();
      await card.locator('button[data-action-id="run_approve"]').waitFor();
      const ts = (await card.getAttribute('data-ts'))!;

      // Bob opens opsbot under Apps: Slack sends app_home_opened, the bot publishes his tab.
      await actAs(c.page, 'bob');
      const opened = c.s.stack.slack.callsTo('views.publish').length;
      await c.page.click('#home-link');
      await home().waitFor({ state: 'visible' });
      expect(await c.page.locator('#messages').isVisible()).toBe(false);
      await eventually(() => c.s.stack.slack.home('U0BOB'), "bob's Home tab published");
      expect(c.s.stack.slack.callsTo('views.publish').length).toBeGreaterThan(opened);
      const link = home().locator('a', { hasText: 'Drain node-2' }).first();
      await link.waitFor();
      expect(await homeSection('Waiting for your approval')).toContain('Drain node-2');

      // The switch is a button of the view: pressed, the bot stores the choice and draws the tab again.
      const toggle = home().locator('button[data-action-id="home_dm_toggle"]');
      expect(await toggle.innerText()).toBe('Turn approval DMs off');
      await toggle.click();
      await home().locator('button[data-action-id="home_dm_toggle"]', { hasText: 'Turn approval DMs on' }).waitFor();

      // Alice's own tab: her run under "Your runs", nothing waiting for her (she cannot approve it).
      await actAs(c.page, 'alice');
      await eventually(() => c.s.stack.slack.home('U0ALICE'), "alice's Home tab published");
      await home().locator('#home-body', { hasText: 'Nothing waits for you.' }).waitFor();
      expect(await homeSection('Your runs')).toContain('Drain node-2');
      expect(await home().locator('button[data-action-id="home_dm_toggle"]').innerText()).toBe('Turn approval DMs off');

      // The card's link leads back to the message in the channel, as a Slack permalink does.
      await home().locator('a', { hasText: 'Drain node-2' }).first().click();
      await home().waitFor({ state: 'hidden' });
      await c.page.locator(`#messages .msg[data-ts="${ts}"]`).waitFor({ state: 'visible' });
      expect(await c.page.locator('#channel-link').getAttribute('class')).toContain('active');
    },
  );
});
