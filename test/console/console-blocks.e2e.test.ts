import { beforeAll, describe, expect, test } from 'vitest';
import { SIM_DEFAULTS } from '../../src/sim/slack/index.js';
import { LOCAL_CHANNEL } from '../../src/sim/terminal-client.js';
import { actAs, consoleInChromium } from './support/browser.js';

/**
 * Block Kit the bot does not send today but may tomorrow: posted through the Slack stand-in's
 * Web API with the bot's token, exactly as the bot posts, and read off the page.
 */
const FIXTURE = [
  { type: 'header', text: { type: 'plain_text', text: 'Fixture :rocket: header', emoji: true } },
  {
    type: 'section',
    block_id: 'sec',
    text: {
      type: 'mrkdwn',
      text:
        '*bold* _italic_ ~struck~ `code` <https://example.org/runbook|the runbook> <@U0BOB> :white_check_mark: ' +
        '&lt;script&gt;alert(1)&lt;/script&gt;\n&gt; a quote',
    },
    fields: [
      { type: 'mrkdwn', text: '*Field one*\n1' },
      { type: 'mrkdwn', text: '*Field two*\n2' },
      { type: 'plain_text', text: 'plain <b>not bold</b>' },
    ],
    accessory: {
      type: 'button',
      action_id: 'fixture_accessory',
      text: { type: 'plain_text', text: 'Accessory' },
      style: 'danger',
      confirm: {
        title: { type: 'plain_text', text: 'Really?' },
        text: { type: 'mrkdwn', text: 'This *cannot* be undone.' },
        confirm: { type: 'plain_text', text: 'Do it' },
        deny: { type: 'plain_text', text: 'Back' },
        style: 'danger',
      },
    },
  },
  {
    type: 'context',
    elements: [
      { type: 'mrkdwn', text: 'context with `code`' },
      { type: 'plain_text', text: 'and plain' },
    ],
  },
  { type: 'divider' },
  { type: 'section', text: { type: 'mrkdwn', text: '```line one\nline  two <@U0ALICE>```' } },
  {
    type: 'rich_text',
    elements: [
      {
        type: 'rich_text_section',
        elements: [
          { type: 'text', text: 'rich ', style: { bold: true } },
          { type: 'user', user_id: 'U0CAROL' },
          { type: 'link', url: 'https://example.org/', text: 'link' },
          { type: 'emoji', name: 'warning' },
        ],
      },
      {
        type: 'rich_text_list',
        style: 'bullet',
        elements: [
          { type: 'rich_text_section', elements: [{ type: 'text', text: 'item one' }] },
          { type: 'rich_text_section', elements: [{ type: 'text', text: 'item two', style: { code: true } }] },
        ],
      },
      { type: 'rich_text_preformatted', elements: [{ type: 'text', text: 'pre  formatted' }] },
      { type: 'rich_text_quote', elements: [{ type: 'text', text: 'quoted' }] },
    ],
  },
  {
    type: 'actions',
    block_id: 'acts',
    elements: [
      { type: 'button', action_id: 'fixture_go', text: { type: 'plain_text', text: 'Go' }, style: 'primary' },
      { type: 'button', action_id: 'fixture_plain', text: { type: 'plain_text', text: 'Plain' } },
    ],
  },
];

describe('the console renders Block Kit, threads and ephemerals from the Slack stand-in', () => {
  const c = consoleInChromium();

  async function api(
    method: string,
    args: Record<string, unknown>,
  ): Promise<{ ok: boolean; ts?: string; error?: string; upload_url?: string; file_id?: string }> {
    const res = await fetch(`${c.s.stack.slack.apiUrl}${method}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${SIM_DEFAULTS.botToken}`, 'content-type': 'application/json' },
      body: JSON.stringify(args),
    });
    const body = (await res.json()) as Awaited<ReturnType<typeof api>>;
    if (!body.ok) throw new Error(`${method}: ${body.error}`);
    return body;
  }

  beforeAll(async () => {
    await actAs(c.page, 'alice');
  });

  test('every block type, mrkdwn and rich text; Slack-escaped text stays text', async () => {
    const { ts } = await api('chat.postMessage', { channel: LOCAL_CHANNEL, text: 'fixture', blocks: FIXTURE });
    const msg = c.page.locator(`#messages .msg[data-ts="${ts}"]`);
    await msg.waitFor();
    expect(await msg.locator('.author').innerText()).toBe('opsbot');
    expect(await msg.locator('.b-header').innerText()).toBe('Fixture 🚀 header');
    const text = msg.locator('.b-section').first().locator('.b-section-main > .mrkdwn');
    expect(await text.locator('b').first().innerText()).toBe('bold');
    expect(await text.locator('i').innerText()).toBe('italic');
    expect(await text.locator('s').innerText()).toBe('struck');
    expect(await text.locator('code').innerText()).toBe('code');
    expect(await text.locator('a').getAttribute('href')).toBe('https://example.org/runbook');
    expect(await text.locator('.mention').innerText()).toBe('@bob');
    expect(await text.locator('blockquote').innerText()).toBe('a quote');
    expect(await text.innerText()).toContain('✅ <script>alert(1)</script>');
    expect(await c.page.locator('#messages script').count()).toBe(0);

    expect(await msg.locator('.b-field').allInnerTexts()).toEqual([
      'Field one\n1',
      'Field two\n2',
      'plain <b>not bold</b>',
    ]);
    expect(await msg.locator('.b-context').innerText()).toMatch(/context with code\s+and plain/);
    expect(await msg.locator('hr.b-divider').count()).toBe(1);
    expect(await msg.locator('.b-section pre').innerText()).toBe('line one\nline  two <@U0ALICE>');

    const rich = msg.locator('.rt');
    expect((await rich.locator('b').innerText()).trim()).toBe('rich');
    expect(await rich.locator('.mention').innerText()).toBe('@carol');
    expect(await rich.locator('li').allInnerTexts()).toEqual(['item one', 'item two']);
    expect(await rich.locator('li code').innerText()).toBe('item two');
    expect(await rich.locator('pre').innerText()).toBe('pre  formatted');
    expect(await rich.locator('blockquote').innerText()).toBe('quoted');
    expect(await rich.innerText()).toContain('⚠️');

    const buttons = msg.locator('.b-actions button');
    expect(await buttons.allInnerTexts()).toEqual(['Go', 'Plain']);
    expect(await buttons.first().getAttribute('class')).toContain('primary');

    // The accessory's confirm dialog shows the message's own words; "Back" closes it.
    await msg.locator('.b-accessory button').click();
    const confirm = c.page.locator('[data-dialog="confirm"]');
    expect(await confirm.locator('.dialog-title').innerText()).toBe('Really?');
    expect(await confirm.locator('.dialog-body b').innerText()).toBe('cannot');
    expect(await confirm.locator('.dialog-foot button').allInnerTexts()).toEqual(['Back', 'Do it']);
    await confirm.getByRole('button', { name: 'Back' }).click();
    await confirm.waitFor({ state: 'detached' });
  });

  test(
    'an updated message is redrawn in place; a reply grows its thread; a shared file opens as text; an ' +
      'ephemeral shows to its person only',
    async () => {
      const { ts } = await api('chat.postMessage', { channel: LOCAL_CHANNEL, text: 'version one' });
      const msg = c.page.locator(`#messages .msg[data-ts="${ts}"]`);
      await msg.locator('text=version one').waitFor();
      await api('chat.update', {
        channel: LOCAL_CHANNEL,
        ts,
        text: 'version two',
        blocks: [{ type: 'section', text: { type: 'mrkdwn', text: '*version two*' } }],
      });
      await msg.locator('b', { hasText: 'version two' }).waitFor();
      expect(await c.page.locator(`#messages .msg[data-ts="${ts}"]`).count()).toBe(1);

      await api('chat.postMessage', { channel: LOCAL_CHANNEL, thread_ts: ts, text: 'first reply' });
      await api('chat.postMessage', { channel: LOCAL_CHANNEL, thread_ts: ts, text: 'second reply' });
      await msg.locator('.thread-summary .count', { hasText: '2 replies' }).waitFor();
      // Replies live in the thread.
      expect(await c.page.locator('#messages .msg', { hasText: 'first reply' }).count()).toBe(0);
      await msg.locator('.thread-summary').click();
      expect(await c.page.locator('#thread .thread-body > .msg').allInnerTexts()).toEqual([
        expect.stringContaining('version two'),
        expect.stringContaining('first reply'),
        expect.stringContaining('second reply'),
      ]);
      await api('chat.postMessage', { channel: LOCAL_CHANNEL, thread_ts: ts, text: 'third reply' });
      await c.page.locator('#thread .msg', { hasText: 'third reply' }).waitFor();
      await c.page.click('#thread-close');

      // A snippet the bot shares (files.uploadV2's three steps): a chip whose link shows the text.
      const content = 'line 1 of a long command output\nline 2';
      const upload = await api('files.getUploadURLExternal', {
        filename: 'output.txt',
        length: Buffer.byteLength(content),
      });
      await fetch(upload.upload_url!, { method: 'POST', body: content });
      await api('files.completeUploadExternal', {
        files: [{ id: upload.file_id, title: 'restart output' }],
        channel_id: LOCAL_CHANNEL,
        initial_comment: 'the output',
      });
      const chip = c.page.locator('#messages .msg', { hasText: 'the output' }).locator('a.file-chip');
      expect(await chip.innerText()).toContain('restart output');
      expect(await (await fetch(new URL((await chip.getAttribute('href')) ?? '', c.s.console.url))).text()).toBe(
        content,
      );

      await api('chat.postEphemeral', { channel: LOCAL_CHANNEL, user: 'U0BOB', text: 'for bob only' });
      const eph = c.page.locator('#messages .msg.ephemeral', { hasText: 'for bob only' });
      await actAs(c.page, 'bob');
      await eph.waitFor();
      expect(await eph.locator('.only-you').innerText()).toContain('Only visible to you');
      await actAs(c.page, 'alice');
      await eph.waitFor({ state: 'detached' });
    },
  );
});
