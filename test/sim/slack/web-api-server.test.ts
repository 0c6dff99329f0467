import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { webApi } from '@slack/bolt';
import { startFakeSlack, type FakeSlack } from '../../../src/sim/slack/web-api-server.js';
import { responseUrlId } from '../../../src/sim/slack/response-url.js';
import type { StoredMessage } from '../../../src/sim/slack/types.js';

const { WebClient, ErrorCode } = webApi;
const C = 'C0OPS';
const section = (text: string) => ({ type: 'section', text: { type: 'mrkdwn', text } });

let fake: FakeSlack;
let client: InstanceType<typeof WebClient>;

beforeAll(async () => {
  fake = await startFakeSlack();
  client = new WebClient(fake.botToken, { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 } });
});
afterAll(async () => {
  await fake.close();
});
beforeEach(() => {
  fake.reset();
});

describe('fake Slack Web API, driven by the real WebClient', () => {
  test('auth.test names the bot and the workspace', async () => {
    const res = await client.auth.test();
    expect(res).toMatchObject({ ok: true, user_id: fake.botUserId, team_id: fake.teamId });
  });

  test('records every call with its token and blocks parsed back into objects', async () => {
    await client.chat.postMessage({ channel: C, text: 'drain node-1', blocks: [section('*Drain* node-1')] });
    const [call] = fake.callsTo('chat.postMessage');
    expect(call?.token).toBe(fake.botToken);
    expect(call?.args).toMatchObject({ channel: C, text: 'drain node-1', blocks: [section('*Drain* node-1')] });
  });

  test('message timestamps are unique and increasing, in Slack form', async () => {
    const a = await client.chat.postMessage({ channel: C, text: 'one' });
    const b = await client.chat.postMessage({ channel: C, text: 'two' });
    expect(a.ts).toMatch(/^\d{10}\.\d{6}$/);
    expect(Number(b.ts)).toBeGreaterThan(Number(a.ts));
    expect(fake.messages(C).map((m) => m.text)).toEqual(['one', 'two']);
  });

  test('thread_ts makes a reply: in the thread, not in the channel, and counted on the parent', async () => {
    const parent = await client.chat.postMessage({ channel: C, text: 'run 7 started' });
    await client.chat.postMessage({ channel: C, thread_ts: parent.ts!, text: 'step 1 done' });
    await client.chat.postMessage({ channel: C, thread_ts: parent.ts!, text: 'step 2 done' });
    expect(fake.messages(C)).toHaveLength(1);
    expect(fake.messages(C)[0]).toMatchObject({ text: 'run 7 started', reply_count: 2 });
    expect(fake.thread(C, parent.ts!).map((m) => m.text)).toEqual(['step 1 done', 'step 2 done']);
    const replies = await client.conversations.replies({ channel: C, ts: parent.ts! });
    expect(replies.messages?.map((m) => m.text)).toEqual(['run 7 started', 'step 1 done', 'step 2 done']);
  });

  test('chat.update changes the stored message; leaving blocks out keeps them', async () => {
    const posted = await client.chat.postMessage({ channel: C, text: 'moving shards', blocks: [section('0%')] });
    await client.chat.update({ channel: C, ts: posted.ts!, text: 'moving shards', blocks: [section('40%')] });
    expect(fake.messages(C)[0]?.blocks).toEqual([section('40%')]);
    await client.chat.update({ channel: C, ts: posted.ts!, text: 'still moving' });
    expect(fake.messages(C)[0]).toMatchObject({ text: 'still moving', blocks: [section('40%')] });
    expect(fake.messages(C)[0]?.edited).toBeDefined();
  });

  test('unknown messages and channels are refused with Slack error codes', async () => {
    await expect(client.chat.update({ channel: C, ts: '1.000001', text: 'x' })).rejects.toMatchObject({
      code: ErrorCode.PlatformError,
      data: { error: 'message_not_found' },
    });
    await expect(client.chat.postMessage({ channel: 'not a channel', text: 'x' })).rejects.toMatchObject({
      data: { error: 'channel_not_found' },
    });
    await expect(client.apiCall('chat.sing', {})).rejects.toMatchObject({ data: { error: 'unknown_method' } });
  });

  test('a wrong token is invalid_auth and changes nothing', async () => {
    const intruder = new WebClient('xoxb-wrong', { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 } });
    await expect(intruder.chat.postMessage({ channel: C, text: 'hi' })).rejects.toMatchObject({
      data: { error: 'invalid_auth' },
    });
    expect(fake.messages(C)).toEqual([]);
  });

  test('JSON bodies and the legacy token argument are accepted too; no token at all is not_authed', async () => {
    const post = (headers: Record<string, string>, body: string) =>
      fetch(`${fake.apiUrl}chat.postMessage`, { method: 'POST', headers, body }).then((r) => r.json());
    const blocks = [section('from JSON')];
    expect(
      await post(
        { 'content-type': 'application/json', authorization: `Bearer ${fake.botToken}` },
        JSON.stringify({ channel: C, text: 'json', blocks }),
      ),
    ).toMatchObject({ ok: true });
    expect(
      await post(
        { 'content-type': 'application/x-www-form-urlencoded' },
        new URLSearchParams({ token: fake.botToken, channel: C, text: 'form' }).toString(),
      ),
    ).toMatchObject({ ok: true });
    expect(await post({ 'content-type': 'application/x-www-form-urlencoded' }, 'channel=C0OPS&text=anonymous')).toEqual(
      { ok: false, error: 'not_authed' },
    );
    expect(fake.messages(C).map((m) => [m.text, m.blocks])).toEqual([
      ['json', blocks],
      ['form', undefined],
    ]);
    expect(fake.calls.map((c) => c.token)).toEqual([fake.botToken, fake.botToken, undefined]);
  });

  test('conversations.history pages with cursors the client can follow', async () => {
    for (const text of ['1', '2', '3', '4', '5']) await client.chat.postMessage({ channel: C, text });
    const seen: string[] = [];
    for await (const page of client.paginate('conversations.history', { channel: C, limit: 2 })) {
      seen.push(...((page as { messages?: Array<{ text: string }> }).messages ?? []).map((m) => m.text));
    }
    expect(seen).toEqual(['5', '4', '3', '2', '1']);
  });

  test('blocks beyond Slack limits are refused as invalid_blocks', async () => {
    const tooMany = Array.from({ length: 51 }, (_, i) => section(`line ${i}`));
    await expect(client.chat.postMessage({ channel: C, text: 'x', blocks: tooMany })).rejects.toMatchObject({
      data: { error: 'invalid_blocks' },
    });
    await expect(
      client.chat.postMessage({ channel: C, text: 'x', blocks: [section('y'.repeat(3001))] }),
    ).rejects.toMatchObject({ data: { error: 'invalid_blocks' } });
  });

  test('ephemerals are kept per user and never enter history', async () => {
    const res = await client.chat.postEphemeral({ channel: C, user: 'U0ALICE', text: 'only you can see this' });
    expect(res.message_ts).toMatch(/^\d+\.\d+$/);
    expect(fake.ephemerals(C, 'U0ALICE').map((e) => e.text)).toEqual(['only you can see this']);
    expect(fake.ephemerals(C, 'U0BOB')).toEqual([]);
    expect(fake.messages(C)).toEqual([]);
  });

  test('chat.delete removes, chat.getPermalink links, conversations.history lists newest first', async () => {
    const a = await client.chat.postMessage({ channel: C, text: 'a' });
    const b = await client.chat.postMessage({ channel: C, text: 'b' });
    await client.chat.postMessage({ channel: C, text: 'c' });
    await client.chat.delete({ channel: C, ts: b.ts! });
    const history = await client.conversations.history({ channel: C });
    expect(history.messages?.map((m) => m.text)).toEqual(['c', 'a']);
    const link = await client.chat.getPermalink({ channel: C, message_ts: a.ts! });
    expect(link.permalink).toContain(`/archives/${C}/p${a.ts!.replace('.', '')}`);
  });

  test('users, user groups and conversations can be looked up', async () => {
    fake.setUsergroup('S0APPROVERS', ['U0ALICE', 'U0BOB']);
    fake.addUser({ id: 'U0ALICE', name: 'alice', real_name: 'Alice A' });
    expect((await client.usergroups.users.list({ usergroup: 'S0APPROVERS' })).users).toEqual(['U0ALICE', 'U0BOB']);
    await expect(client.usergroups.users.list({ usergroup: 'S0NOPE' })).rejects.toMatchObject({
      data: { error: 'no_such_subteam' },
    });
    expect((await client.users.info({ user: 'U0ALICE' })).user).toMatchObject({
      id: 'U0ALICE',
      name: 'alice',
      real_name: 'Alice A',
    });
    fake.addChannel('C0DEPLOY', 'deploys');
    expect((await client.conversations.info({ channel: 'C0DEPLOY' })).channel).toMatchObject({
      id: 'C0DEPLOY',
      name: 'deploys',
    });
  });

  test('modals open and update through views.open / views.update', async () => {
    const view = {
      type: 'modal' as const,
      callback_id: 'deny_reason',
      title: { type: 'plain_text' as const, text: 'Deny' },
      blocks: [],
    };
    const opened = await client.views.open({ trigger_id: '1.2.abc', view });
    expect(opened.view?.id).toMatch(/^V/);
    await client.views.update({ view_id: opened.view!.id!, view: { ...view, private_metadata: 'run-7' } });
    expect(fake.views()[0]).toMatchObject({ callback_id: 'deny_reason', private_metadata: 'run-7' });
  });

  test('files.uploadV2 goes through the upload URL and the file content is recorded', async () => {
    const parent = await client.chat.postMessage({ channel: C, text: 'run 7' });
    await client.files.uploadV2({
      channel_id: C,
      thread_ts: parent.ts!,
      filename: 'run-7.log',
      content: 'line 1\nline 2\n',
      initial_comment: 'full log',
    });
    const [file] = fake.files();
    expect(file).toMatchObject({ filename: 'run-7.log', channel: C, thread_ts: parent.ts, completed: true });
    expect(file?.content?.toString('utf8')).toBe('line 1\nline 2\n');
    expect(fake.thread(C, parent.ts!)[0]).toMatchObject({ text: 'full log' });
  });

  test('listeners see messages and updates as they happen', async () => {
    const seen: string[] = [];
    const onMessage = (m: StoredMessage) => seen.push(`message:${m.text}`);
    const onUpdate = (m: StoredMessage) => seen.push(`update:${m.text}`);
    fake.on('message', onMessage).on('update', onUpdate);
    const posted = await client.chat.postMessage({ channel: C, text: 'v1' });
    await client.chat.update({ channel: C, ts: posted.ts!, text: 'v2' });
    fake.off('message', onMessage).off('update', onUpdate);
    expect(seen).toEqual(['message:v1', 'update:v2']);
  });
});

describe('response URLs', () => {
  async function respond(url: string, body: object): Promise<Response> {
    return fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  }

  test('posts are recorded; ephemeral by default, in_channel posts a message', async () => {
    const id = responseUrlId({ channel: C, user: 'U0ALICE' });
    expect((await respond(fake.responseUrl(id), { text: 'working on it' })).status).toBe(200);
    expect((await respond(fake.responseUrl(id), { text: 'started run 7', response_type: 'in_channel' })).status).toBe(
      200,
    );
    expect(fake.responses.map((r) => [r.id, r.text, r.response_type])).toEqual([
      [id, 'working on it', undefined],
      [id, 'started run 7', 'in_channel'],
    ]);
    expect(fake.ephemerals(C, 'U0ALICE').map((e) => e.text)).toEqual(['working on it']);
    expect(fake.messages(C).map((m) => m.text)).toEqual(['started run 7']);
  });

  test('replace_original and delete_original act on the message that was clicked', async () => {
    const posted = await client.chat.postMessage({
      channel: C,
      text: 'approve?',
      blocks: [section('Approve step 3?')],
    });
    const id = responseUrlId({ channel: C, user: 'U0BOB', message_ts: posted.ts! });
    await respond(fake.responseUrl(id), {
      replace_original: true,
      text: 'approved by Bob',
      blocks: [section('Approved by <@U0BOB>')],
    });
    expect(fake.messages(C)[0]).toMatchObject({
      ts: posted.ts,
      text: 'approved by Bob',
      blocks: [section('Approved by <@U0BOB>')],
    });
    await respond(fake.responseUrl(id), { delete_original: true });
    expect(fake.messages(C)).toEqual([]);
  });

  test('a response URL serves 5 posts, then is refused', async () => {
    const id = responseUrlId({ channel: C, user: 'U0ALICE' });
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await respond(fake.responseUrl(id), { text: `update ${i}` })).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 404]);
  });
});

describe('injected faults', () => {
  test('a 429 carries Retry-After, and WebClient waits and retries when allowed', async () => {
    const patient = new WebClient(fake.botToken, {
      slackApiUrl: fake.apiUrl,
      retryConfig: { retries: 2, factor: 1, minTimeout: 0, maxTimeout: 0 },
    });
    const rateLimited: number[] = [];
    patient.on(webApi.WebClientEvent.RATE_LIMITED, (seconds: number) => rateLimited.push(seconds));
    fake.failNext('chat.postMessage', { status: 429, retryAfter: 1 });
    const res = await patient.chat.postMessage({ channel: C, text: 'after the limit' });
    expect(res.ok).toBe(true);
    expect(rateLimited).toEqual([1]);
    expect(fake.callsTo('chat.postMessage').map((c) => c.fault)).toEqual([{ status: 429, retryAfter: 1 }, undefined]);
    expect(fake.messages(C).map((m) => m.text)).toEqual(['after the limit']);
  });

  test('with rejectRateLimitedCalls the client raises a rate-limited error carrying retryAfter', async () => {
    const strict = new WebClient(fake.botToken, {
      slackApiUrl: fake.apiUrl,
      rejectRateLimitedCalls: true,
      retryConfig: { retries: 0 },
    });
    fake.failNext('chat.update', { status: 429, retryAfter: 30 });
    await expect(strict.chat.update({ channel: C, ts: '1.1', text: 'x' })).rejects.toMatchObject({
      code: ErrorCode.RateLimitedError,
      retryAfter: 30,
    });
  });

  test('HTTP 500 and ok:false faults are answered the given number of times, then the method works', async () => {
    fake.failNext('chat.postMessage', { status: 500 });
    fake.failNext('chat.postMessage', { error: 'ratelimited' }, 2);
    await expect(client.chat.postMessage({ channel: C, text: 'x' })).rejects.toMatchObject({
      code: ErrorCode.HTTPError,
      statusCode: 500,
    });
    await expect(client.chat.postMessage({ channel: C, text: 'x' })).rejects.toMatchObject({
      data: { error: 'ratelimited' },
    });
    await expect(client.chat.postMessage({ channel: C, text: 'x' })).rejects.toMatchObject({
      data: { error: 'ratelimited' },
    });
    await expect(client.chat.postMessage({ channel: C, text: 'x' })).resolves.toMatchObject({ ok: true });
  });
});
