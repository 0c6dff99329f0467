import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { eventually } from '../support/wait.js';
import { actAs, launchChromium, openConsole, type } from './support/browser.js';
import { startConsoleStack, type ConsoleStack } from './support/console-stack.js';

describe('the console in headless Chromium: the node picker modal', () => {
  let browser: Browser;
  let s: ConsoleStack;
  let page: Page;

  beforeAll(async () => {
    [browser, s] = await Promise.all([launchChromium(), startConsoleStack()]);
    page = await openConsole(browser, s.console.url);
  });
  afterAll(async () => {
    await browser?.close();
    await s?.close();
  });

  test('/es drain --dry-run opens the picker with a node select; choosing one shows its plan', async () => {
    await actAs(page, 'alice');
    await type(page, '/es drain --dry-run');
    const modal = page.locator('[data-dialog="modal"]');
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
      () => s.view.ephemeralTexts('U0ALICE').find((t) => t.includes(node)),
      'the dry-run plan of the node picked',
    );
    expect(plan).toContain(node);
  });
});
