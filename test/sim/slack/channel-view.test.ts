import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { webApi } from '@slack/bolt';
import { ChannelView } from '../../../src/sim/slack/index.js';
import { startFakeSlack, type FakeSlack } from '../../../src/sim/slack/web-api-server.js';

const { WebClient } = webApi;
const C = 'C0OPS';
const section = (text: string) => ({ type: 'section' as const, text: { type: 'mrkdwn' as const, text } });
const button = (action_id: string, text: string) => ({
  type: 'button' as const,
  action_id,
  text: { type: 'plain_text' as const, text },
});

let fake: FakeSlack;
let client: InstanceType<typeof WebClient>;
let view: ChannelView;

beforeAll(async () => {
  fake = await startFakeSlack();
  client = new WebClient(fake.botToken, { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 } });
  view = new ChannelView(fake, C);
});
afterAll(async () => {
  await fake.close();
});
beforeEach(() => {
  fake.reset();
});

describe('ChannelView: one conversation of the Slack stand-in, read as a person in it reads it', () => {
  test('cards, their buttons (in actions blocks and as accessories) and the newest card with a button', async () => {
    const old = await client.chat.postMessage({
      channel: C,
      text: 'run 1',
      blocks: [section('*run 1*'), { type: 'actions', elements: [button('run_approve', 'Approve')] }],
    });
    const plain = await client.chat.postMessage({ channel: C, text: 'just text' });
    const newer = await client.chat.postMessage({
      channel: C,
      text: 'run 2',
      blocks: [
        { ...section('*run 2*'), accessory: button('run_cancel', 'Cancel') },
        { type: 'actions', elements: [button('run_approve', 'Approve'), button('run_deny', 'Deny')] },
      ],
    });
    // In a value or a text, an action id is not a button.
    await client.chat.postMessage({ channel: C, text: 'run_keep', blocks: [section('press run_keep')] });

    expect(view.messages().map((m) => m.ts)).toEqual([old.ts, plain.ts, newer.ts, expect.any(String)]);
    expect(view.cardWithButton('run_approve')?.ts).toBe(newer.ts);
    expect(view.cardWithButton('run_keep')).toBeUndefined();
    const card = view.card(newer.ts!)!;
    expect(view.hasButton(card, 'run_cancel')).toBe(true);
    expect(view.hasButton(card, 'run_revert')).toBe(false);
    expect(view.hasButton(view.card(plain.ts!)!, 'run_approve')).toBe(false);
    expect(view.buttons(card)).toEqual(['run_cancel', 'run_approve', 'run_deny']);
    expect(view.card('1.000000')).toBeUndefined();
  });

  test('a card as it is now: updates applied; text renders its blocks, or falls back to its text', async () => {
    const posted = await client.chat.postMessage({
      channel: C,
      text: 'run 1: waiting',
      blocks: [section('Waiting for approval'), { type: 'actions', elements: [button('run_approve', 'Approve')] }],
    });
    await client.chat.update({ channel: C, ts: posted.ts!, text: 'run 1: done', blocks: [section('Done in 3 s')] });
    await client.chat.postMessage({ channel: C, text: 'no blocks here' });
    const card = view.card(posted.ts!)!;
    expect(view.text(card)).toBe('Done in 3 s');
    expect(view.hasButton(card, 'run_approve')).toBe(false);
    expect(view.texts()).toEqual(['Done in 3 s', 'no blocks here']);
    expect(view.messageWith('Done in')?.ts).toBe(posted.ts);
    expect(view.messageWith('nowhere')).toBeUndefined();
  });

  test("a thread's replies, and what one person was shown alone", async () => {
    const parent = await client.chat.postMessage({ channel: C, text: 'run 7 started' });
    await client.chat.postMessage({ channel: C, thread_ts: parent.ts!, text: 'step 1 done' });
    await client.chat.postMessage({ channel: C, thread_ts: parent.ts!, text: 'step 2 done' });
    await client.chat.postEphemeral({ channel: C, user: 'U0ALICE', text: 'only alice' });
    await client.chat.postEphemeral({ channel: C, user: 'U0BOB', text: 'only bob' });
    await client.chat.postEphemeral({ channel: 'C0ELSE', user: 'U0ALICE', text: 'elsewhere' });

    expect(view.messages()).toHaveLength(1);
    expect(view.threadTexts(parent.ts!)).toEqual(['step 1 done', 'step 2 done']);
    expect(view.thread(parent.ts!).map((m) => m.thread_ts)).toEqual([parent.ts, parent.ts]);
    expect(view.ephemeralTexts('U0ALICE')).toEqual(['only alice']);
    expect(view.ephemeralTexts()).toEqual(['only alice', 'only bob']);
    expect(view.ephemerals('U0BOB')[0]).toMatchObject({ user: 'U0BOB', via: 'chat.postEphemeral' });
  });
});
