import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { requireBinary } from '../../../src/sim/services/require-binary.js';
import { startConsoleStack, type ConsoleStack } from './console-stack.js';

/**
 * How Chromium runs here: headless as root, and never reaching out (this machine's network is
 * closed; without the background-networking flags it keeps trying). Debian's package, never a download.
 */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

// Slack's typeface and emoji, so that the screenshot looks like Slack; the page works without them.
const FONTS: Array<[file: string, debianPackage: string]> = [
  ['/usr/share/fonts/truetype/lato/Lato-Regular.ttf', 'fonts-lato'],
  ['/usr/share/fonts/truetype/noto/NotoColorEmoji.ttf', 'fonts-noto-color-emoji'],
];

function installFontsIfRoot(): void {
  const missing = FONTS.filter(([file]) => !existsSync(file)).map(([, pkg]) => pkg);
  if (!missing.length || process.getuid?.() !== 0) return;
  try {
    execFileSync('apt-get', ['install', '-y', '--no-install-recommends', ...missing], {
      stdio: 'ignore',
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
  } catch {
    // Only the looks of the screenshot depend on them.
  }
}

export async function launchChromium(): Promise<Browser> {
  const executablePath = requireBinary('chromium', 'chromium');
  installFontsIfRoot();
  return chromium.launch({ executablePath, args: CHROMIUM_ARGS });
}

/** A new page on the console, once it has its first snapshot of the channel. */
export async function openConsole(browser: Browser, url: string): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  // Fail with Playwright's own message (which locator, which state) before the test's timeout.
  page.setDefaultTimeout(15_000);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(url);
  await page.waitForSelector('body[data-ready="true"]');
  if (errors.length) throw new Error(`the console page failed: ${errors.join('; ')}`);
  return page;
}

/** Types a line in the composer and sends it, as a person would. */
export async function type(page: Page, line: string): Promise<void> {
  await page.fill('#composer-input', line);
  await page.press('#composer-input', 'Enter');
}

export async function actAs(page: Page, user: string): Promise<void> {
  await page.click(`[data-user="${user}"]`);
  await page.waitForSelector(`[data-user="${user}"][aria-pressed="true"]`);
}

/** The console of a fresh local stack, open in headless Chromium, for one describe block. */
export interface ConsoleInChromium {
  readonly s: ConsoleStack;
  readonly page: Page;
}

/**
 * Starts a console stack and Chromium before the describe block's tests, opens the page on it,
 * and closes both after them. Read `s` and `page` inside tests (they exist once beforeAll ran).
 */
export function consoleInChromium(): ConsoleInChromium {
  let browser: Browser | undefined;
  let stack: ConsoleStack | undefined;
  let page: Page | undefined;
  beforeAll(async () => {
    [browser, stack] = await Promise.all([launchChromium(), startConsoleStack()]);
    page = await openConsole(browser, stack.console.url);
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });
  const started = <T>(x: T | undefined): T => {
    if (x === undefined) throw new Error('the console is not started yet: read it inside a test or hook');
    return x;
  };
  return {
    get s() {
      return started(stack);
    },
    get page() {
      return started(page);
    },
  };
}
