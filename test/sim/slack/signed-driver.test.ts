import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { App, LogLevel, type SlashCommand, type BlockButtonAction, type ViewSubmitAction } from '@slack/bolt';
import { startFakeSlack, type FakeSlack } from '../../../src/sim/slack/web-api-server.js';
import { SlackDriver, findButton } from '../../../src/sim/slack/signed-driver.js';
import { freePort } from '../../../src/sim/services/free-port.js';
import { eventually } from '../../support/wait.js';

const SECRET = 'signing-secret-for-tests';
const ALICE = { user_id: 'U0ALICE', user_name: 'alice', channel_id: 'C0OPS' };
const BOB = { user_id: 'U0BOB', user_name: 'bob', channel_id: 'C0OPS' };

let fake: FakeSlack;
let app: App;
let driver: SlackDriver;
const commands: SlashCommand[] = [];
const clicks: BlockButtonAction[] = [];
const submissions: ViewSubmitAction[] = [];
const retries: Array<{ num?: number; reason?: string }> = [];

beforeAll(async () => {
  // Bolt calls auth.test as soon as an App with a token is built: the fake must already listen.
  fake = await startFakeSlack();
  app = new App({
    token: fake.botToken,
    signingSecret: SECRET,
    logLevel: LogLevel.ERROR,
    clientOptions: { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 } },
  });
  app.command('/ops', async ({ command, ack, say, respond, context }) => {
    await ack();
    commands.push(command);
    retries.push({ num: context.retryNum, reason: context.retryReason });
    await respond({ text: `working on: ${command.text}` });
    await say({
      text: 'Approve drain?',
      blocks: [
        { type: 'section', text: { type: 'mrkdwn', text: `<@${command.user_id}> asks to *${command.text}*` } },
        {
          type: 'actions',
          block_id: 'approval',
          elements: [
            {
              type: 'button',
              action_id: 'approve',
              text: { type: 'plain_text', text: 'Approve' },
              value: 'run-7',
              style: 'primary',
            },
            {
              type: 'button',
              action_id: 'deny',
              text: { type: 'plain_text', text: 'Deny' },
              value: 'run-7',
              style: 'danger',
            },
          ],
        },
      ],
    });
  });
  app.action<BlockButtonAction>('approve', async ({ body, ack, respond }) => {
    await ack();
    clicks.push(body);
    await respond({ replace_original: true, text: `Approved by <@${body.user.id}>` });
  });
  app.view<ViewSubmitAction>({ callback_id: 'deny_reason', type: 'view_submission' }, async ({ body, ack }) => {
    submissions.push(body);
    await ack({ response_action: 'errors', errors: { reason: 'say why' } });
  });
  const port = await freePort();
  await app.start(port);
  driver = new SlackDriver({
    eventsUrl: `http://127.0.0.1:${port}/slack/events`,
    signingSecret: SECRET,
    responseUrlBase: fake.baseUrl,
  });
});

afterAll(async () => {
  await app.stop();
  await fake.close();
});

beforeEach(() => {
  commands.length = 0;
  clicks.length = 0;
  submissions.length = 0;
  retries.length = 0;
});

/** Waits up to 2 s for what the handlers do after they acknowledged the request. */
async function until(check: () => boolean, what: string): Promise<void> {
  await eventually(check, what, 2_000);
}

describe('signed requests through Bolt’s HTTP receiver', () => {
  test(
    'a signed slash command reaches the handler with every field, ' + 'and its respond/say land in the fake',
    async () => {
      const res = await driver.command('/ops', 'drain node-1', ALICE);
      expect(res.status).toBe(200);
      await until(() => fake.messages('C0OPS').length === 1 && fake.responses.length === 1, 'the say and the respond');
      expect(commands[0]).toMatchObject({
        command: '/ops',
        text: 'drain node-1',
        user_id: 'U0ALICE',
        user_name: 'alice',
        channel_id: 'C0OPS',
        team_id: fake.teamId,
        response_url: fake.responseUrl(res.responseUrlId),
      });
      expect(commands[0]?.trigger_id).toMatch(/^\d+\.\d+\.[0-9a-f]+$/);
      expect(fake.responses[0]).toMatchObject({ id: res.responseUrlId, text: 'working on: drain node-1' });
      expect(fake.ephemerals('C0OPS', 'U0ALICE').map((e) => e.text)).toEqual(['working on: drain node-1']);
      expect(fake.messages('C0OPS')[0]?.text).toBe('Approve drain?');
    },
  );

  test('a bad signature gets 401 and never reaches the handler', async () => {
    const res = await driver.command('/ops', 'drain node-1', ALICE, { badSignature: true });
    expect(res.status).toBe(401);
    expect(commands).toEqual([]);
  });

  test('a correctly signed request older than 5 minutes gets 401 (replay protection)', async () => {
    const sixMinutesAgo = Math.floor(Date.now() / 1000) - 6 * 60;
    const res = await driver.command('/ops', 'drain node-1', ALICE, { timestamp: sixMinutesAgo });
    expect(res.status).toBe(401);
    expect(commands).toEqual([]);
  });

  test('clicking the button the bot rendered reaches app.action, and replace_original edits that message', async () => {
    fake.reset();
    await driver.command('/ops', 'drain node-2', ALICE);
    await until(() => fake.messages('C0OPS').length === 1, 'the message');
    const message = fake.messages('C0OPS')[0]!;
    expect(findButton(message.blocks, 'approve')).toMatchObject({ value: 'run-7', text: { text: 'Approve' } });

    const res = await driver.click({ action_id: 'approve' }, BOB, {
      channel: 'C0OPS',
      ts: message.ts,
      blocks: message.blocks,
    });
    expect(res.status).toBe(200);
    await until(
      () => clicks.length === 1 && fake.messages('C0OPS')[0]?.text === 'Approved by <@U0BOB>',
      'the click and its update',
    );
    expect(clicks[0]).toMatchObject({
      type: 'block_actions',
      user: { id: 'U0BOB' },
      container: { type: 'message', message_ts: message.ts, channel_id: 'C0OPS' },
      actions: [{ action_id: 'approve', block_id: 'approval', value: 'run-7', type: 'button' }],
    });
    expect(fake.messages('C0OPS')[0]?.blocks).toBeUndefined();
  });

  test('clicking a button that is not in the message fails before anything is sent', async () => {
    await expect(
      driver.click({ action_id: 'approve' }, BOB, { channel: 'C0OPS', ts: '1.1', blocks: [] }),
    ).rejects.toThrow(/no button/);
  });

  test('a view submission reaches app.view and its ack body comes back as JSON', async () => {
    const res = await driver.submitView(
      {
        callback_id: 'deny_reason',
        private_metadata: 'run-7',
        state: { reason: { text: { type: 'plain_text_input', value: '' } } },
      },
      BOB,
    );
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ response_action: 'errors', errors: { reason: 'say why' } });
    expect(submissions[0]?.view).toMatchObject({ callback_id: 'deny_reason', private_metadata: 'run-7' });
  });

  test('retry headers are passed through to the app', async () => {
    const res = await driver.command('/ops', 'drain node-3', ALICE, { retryNum: 1, retryReason: 'http_timeout' });
    expect(res.status).toBe(200);
    await until(
      () => commands.length === 1 && fake.responses.some((r) => r.id === res.responseUrlId),
      'the command and its respond',
    );
    expect(retries).toEqual([{ num: 1, reason: 'http_timeout' }]);
  });
});
