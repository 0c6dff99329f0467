import { describe, expect, test } from 'vitest';
import { eventually } from '../support/wait.js';
import { actAs, consoleInChromium, type } from './support/browser.js';

describe('the console in headless Chromium: the node picker modal', () => {
  const c = consoleInChromium();

  test('/es drain --dry-run opens the picker with a node select; choosing one shows its plan', async () => {
    await actAs(c.page, 'alice');
    await type(c.page, '/es drain --dry-run');
    const modal = c.page.locator('[data-dialog="modal"]');
    await modal.waitFor();
    expect(await modal.locator('.dialog-title').innerText()).toBe('Drain a node');
    const options = await modal.locator('select option').allInnerTexts();
    expect(options[0]).toBe('Choose a node');
    expect(options.slice(1).every((o) => / · zone .+ · \d+ shards · disk /.test(o))).toBe(true);
    const node = (await modal.locator('select option').nth(1).getAttribute('value'))!;
    await modal.locator('select').selectOption(node);
    await modal.getByRole('button', { name: 'Show the plan' }).click();
    await modal.waitFor({ state: 'detached' });
    const plan = await eventually(
      () => c.s.view.ephemeralTexts('U0ALICE').find((t) => t.includes(node)),
      'the dry-run plan of the node picked',
    );
    expect(plan).toContain(node);
  });
});
