import { copyFileSync, mkdirSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { eventually } from '../support/wait.js';
import { actAs, consoleInChromium, type } from './support/browser.js';

const SCREENSHOT = 'test-artifacts/console.png';
/** `OPSBOT_UPDATE_DOCS_SCREENSHOT=1 npx vitest run test/console` refreshes the README's picture. */
const DOCS_SCREENSHOT = 'docs/console.png';

describe('the console in headless Chromium: a drain from request to "empty"', () => {
  const c = consoleInChromium();

  const card = (text: string) => c.page.locator('#messages .msg', { hasText: text }).last();

  test('/es status, a drain requested by alice, refused to herself, approved by bob, watched to the end', async () => {
    expect(await c.page.locator('[data-user="alice"]').getAttribute('aria-pressed')).toBe('true');

    await type(c.page, '/es status');
    const status = card('is GREEN');
    await status.waitFor();
    expect(await status.locator('.b-header').innerText()).toMatch(/^local: .+ is GREEN$/);
    expect(await status.locator('.b-fields .b-field').count()).toBe(6);
    expect(await status.locator('pre').innerText()).toMatch(/node-3 +172\.31\.0\.3 +\w+/);

    await type(c.page, '/es drain node-3');
    const drain = card('Drain node-3');
    await drain.locator('button[data-action-id="run_approve"]').waitFor();
    expect(await drain.locator('.b-header').innerText()).toContain('Drain node-3 (172.31.0.3)');
    // The page shows the card the bot sent to the Slack stand-in, block for block.
    const stored = c.s.view.messages().find((m) => m.text.startsWith('Drain node-3'))!;
    await eventually(async () => {
      const now = c.s.view.card(stored.ts)!;
      return (
        (await drain.locator('.blocks > *').count()) === now.blocks!.length &&
        (await drain.locator('.b-header').innerText()) === (now.blocks![0] as { text: { text: string } }).text.text
      );
    }, 'the page showing the card as the Slack stand-in holds it');

    // Approve has a confirm dialog; alice confirms, and the bot refuses her, to her alone.
    await drain.locator('button[data-action-id="run_approve"]').click();
    const confirm = c.page.locator('[data-dialog="confirm"]');
    expect(await confirm.locator('.dialog-title').innerText()).toBe('Approve this step?');
    await confirm.getByRole('button', { name: 'Approve' }).click();
    const refusal = c.page.locator('#messages .msg.ephemeral', { hasText: 'a second person must approve' });
    await refusal.waitFor();
    expect(await refusal.locator('.only-you').innerText()).toContain('Only visible to you');
    await actAs(c.page, 'bob');
    await refusal.waitFor({ state: 'detached' });

    // The speed control sets the simulator's time factor.
    await c.page.selectOption('#speed', '1000');
    await eventually(async () => (await c.s.simState()).speed === 1000, 'the simulator at ×1000');

    await drain.locator('button[data-action-id="run_approve"]').click();
    await confirm.getByRole('button', { name: 'Approve' }).click();
    await confirm.waitFor({ state: 'detached' });
    await card('node-3 is empty: safe to stop').waitFor({ timeout: 40_000 });
    const done = card('Drain node-3');
    await eventually(
      async () => (await done.locator('.b-section').first().innerText()).includes('Done in'),
      'the card saying "Done in"',
    );
    expect(await done.locator('button.sk-btn').count()).toBe(0); // no run buttons are left
    const final = c.s.view.card(stored.ts)!;
    expect(c.s.view.text(final)).toContain('node-3 is empty: safe to stop');

    // The cluster panel shows the node empty; the thread tells the story.
    await eventually(
      async () => (await c.page.locator('tr[data-node="node-3"] .n-count').innerText()) === '0',
      'node-3 at 0 shards in the panel',
    );
    expect((await c.s.simState()).nodes.find((n) => n.name === 'node-3')!.shards).toBe(0);
    await done.locator('.thread-summary').click();
    const thread = c.page.locator('#thread');
    await thread.locator('.msg', { hasText: '@bob approved Move shards off the node' }).waitFor();
    await thread.locator('.msg', { hasText: 'node-3 is empty: safe to stop' }).last().waitFor();
    const repliesInSlack = c.s.view.thread(stored.ts).length;
    expect(await thread.locator('.thread-body > .msg').count()).toBe(repliesInSlack + 1); // the parent, then each reply
    await eventually(
      async () => (await c.page.locator('#cluster-health').innerText()).includes('0 relocating'),
      'the panel settled',
    );
    mkdirSync('test-artifacts', { recursive: true });
    await c.page.screenshot({ path: SCREENSHOT });
    if (process.env.OPSBOT_UPDATE_DOCS_SCREENSHOT) {
      mkdirSync('docs', { recursive: true });
      copyFileSync(SCREENSHOT, DOCS_SCREENSHOT);
    }
  }, 90_000);
});
