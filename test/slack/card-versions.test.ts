import { webApi } from '@slack/bolt';
import { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, inject, test } from 'vitest';
import { silentLogger } from '../../src/log.js';
import { FakeSlack } from '../../src/sim/slack/index.js';
import { CardUpdater } from '../../src/slack/card-updater.js';
import { CARD_UPDATE_TIMEOUT_MS, CardVersions } from '../../src/slack/card-versions.js';
import { eventually } from '../support/wait.js';

const CHANNEL = 'C0CARDS';
let seq = 0;

/**
 * Two processes' card updaters on one Redis (two CardUpdater + CardVersions, each with its own
 * connection and Web API client, as two workers have), against the Slack stand-in.
 */
describe('cards right with two processes', () => {
  let slack: FakeSlack;
  const redises: Redis[] = [];
  const updaters: CardUpdater[] = [];
  let prefix: string;

  beforeEach(async () => {
    slack = await FakeSlack.start();
    slack.addChannel(CHANNEL, 'ops');
    prefix = `cards-${process.pid}-${++seq}`;
  });
  afterEach(async () => {
    for (const u of updaters.splice(0)) await u.close();
    for (const r of redises.splice(0)) r.disconnect();
    await slack.close();
  });

  function processPair(budget = { burst: 100, perMinute: 6000 }) {
    return [0, 1].map(() => {
      const redis = new Redis(inject('redisUrl'), { maxRetriesPerRequest: 2 });
      redises.push(redis);
      const client = new webApi.WebClient(slack.botToken, { slackApiUrl: slack.apiUrl, retryConfig: { retries: 0 } });
      const updater = new CardUpdater(
        { perMessageMs: 0, globalGapMs: 0, backoffMs: 50, maxBackoffMs: 200 },
        silentLogger,
        Date.now,
        new CardVersions(redis, prefix, budget),
      );
      updaters.push(updater);
      const send = (ts: string, text: string) => () =>
        client.chat.update({ channel: CHANNEL, ts, text }).then(() => undefined);
      return { updater, send };
    });
  }

  async function postCard(text: string): Promise<string> {
    const client = new webApi.WebClient(slack.botToken, { slackApiUrl: slack.apiUrl });
    return (await client.chat.postMessage({ channel: CHANNEL, text })).ts!;
  }
  const cardText = (ts: string) => slack.messages(CHANNEL).find((m) => m.ts === ts)?.text;
  const updates = (ts: string) =>
    slack.calls.filter((c) => c.method === 'chat.update' && (c.args as { ts?: string }).ts === ts);

  test("an older revision's progress, sent late by the other process, never lands after the final card", async () => {
    const [a, b] = processPair();
    const ts = await postCard('Running 0 %');
    // Process B reports the end (revision 2); then process A, delayed, sends its progress of revision 1.
    await b!.updater.push(ts, b!.send(ts, 'Succeeded'), true, 2);
    await a!.updater.push(ts, a!.send(ts, 'Running 95 %'), true, 1);
    await a!.updater.flush();
    expect(cardText(ts)).toBe('Succeeded');
    expect(updates(ts).map((c) => (c.args as { text: string }).text)).toEqual(['Succeeded']);
  });

  test('both send at once: whichever order Slack sees them in, the card ends on the newest revision', async () => {
    const [a, b] = processPair();
    const ts = await postCard('Running 0 %');
    // A holds its send (Slack slow for it) while B's final render asks to go out.
    let release!: () => void;
    const slow = new Promise<void>((r) => (release = r));
    const slowSend = async () => {
      await slow;
      await a!.send(ts, 'Running 95 %')();
    };
    const first = a!.updater.push(ts, slowSend, true, 1);
    await eventually(async () => (await redises[0]!.exists(`${prefix}:card:${ts}:lock`)) === 1, "A's send lock");
    const second = b!.updater.push(ts, b!.send(ts, 'Succeeded'), true, 2);
    release();
    await Promise.all([first, second]);
    await b!.updater.flush();
    expect(cardText(ts)).toBe('Succeeded');
    expect(updates(ts).map((c) => (c.args as { text: string }).text)).toEqual(['Running 95 %', 'Succeeded']);
  });

  test('a Slack outage: 14 renders queued by two processes go out as one update, the latest', async () => {
    const [a, b] = processPair();
    const ts = await postCard('Running 0 %');
    slack.failNext('chat.update', { status: 500 }, 10_000);
    for (let i = 1; i <= 14; i++) {
      const p = i % 2 ? a! : b!;
      await p.updater.push(ts, p.send(ts, `Running ${i * 5} %`), true, i);
    }
    // Slack keeps failing for a while: both processes are retrying.
    await eventually(() => updates(ts).filter((c) => c.fault).length >= 6, 'retries during the outage');
    const before = updates(ts).length;
    slack.clearFaults();
    await eventually(() => cardText(ts) === 'Running 70 %', 'the latest render on the card');
    await Promise.all(updaters.map((u) => u.flush()));
    const after = updates(ts).slice(before);
    expect(after.filter((c) => !c.fault).map((c) => (c.args as { text: string }).text)).toEqual(['Running 70 %']);
  });

  test(
    "a process killed while sending holds the card's lock one request's time at most: the next process's " +
      'redraw lands then, not after a long lock',
    async () => {
      const [, b] = processPair();
      const ts = await postCard('paused, no Done button yet');
      // Process A took the lock to send, and was SIGKILLed before it let go.
      const killed = new CardVersions(redises[0]!, prefix, { burst: 100, perMinute: 6000 });
      const begun = await killed.begin(ts, await killed.stamp(ts, 1));
      expect(begun.go).toBe(true);
      const started = Date.now();
      await b!.updater.push(ts, b!.send(ts, 'paused, with its Done button'), true, 1);
      await eventually(() => cardText(ts) === 'paused, with its Done button', 'the redraw', 15_000);
      const took = Date.now() - started;
      expect(took).toBeGreaterThanOrEqual(CARD_UPDATE_TIMEOUT_MS);
      expect(took).toBeLessThan(CARD_UPDATE_TIMEOUT_MS + 4_000);
    },
    20_000,
  );

  test('one chat.update budget for the workspace: two processes together stay within it', async () => {
    // A burst of 3, then 2 a second (120 a minute): 8 cards updated by two processes.
    const [a, b] = processPair({ burst: 3, perMinute: 120 });
    const cards = await Promise.all([1, 2, 3, 4, 5, 6, 7, 8].map((i) => postCard(`card ${i}`)));
    const started = Date.now();
    await Promise.all(
      cards.map((ts, i) => (i % 2 ? a! : b!).updater.push(ts, (i % 2 ? a! : b!).send(ts, 'done'), true, 1)),
    );
    // The callers (runs between two steps) do not wait for the budget: only for an attempt that can start.
    expect(Date.now() - started).toBeLessThan(1_500);
    await Promise.all([a!.updater.flush(), b!.updater.flush()]);
    const at = slack.calls.filter((c) => c.method === 'chat.update').map((c) => c.at - started);
    expect(at).toHaveLength(8);
    // 3 at once, then one every 500 ms: the 8th no sooner than 2.5 s after the start, and no
    // 6 calls within a second (3 + 2 per second at most).
    expect(Math.max(...at)).toBeGreaterThanOrEqual(2_400);
    at.sort((x, y) => x - y);
    for (let i = 5; i < at.length; i++) expect(at[i]! - at[i - 5]!).toBeGreaterThanOrEqual(950);
  });
});

/** What a run waits for when it reports a transition: an attempt, never a backoff or a lost card. */
describe('a card Slack does not take', () => {
  let slack: FakeSlack;
  let updater: CardUpdater | undefined;
  beforeEach(async () => {
    slack = await FakeSlack.start();
    slack.addChannel(CHANNEL, 'ops');
  });
  afterEach(async () => {
    await updater?.close();
    await slack.close();
  });

  function start(backoffMs: number) {
    const client = new webApi.WebClient(slack.botToken, { slackApiUrl: slack.apiUrl, retryConfig: { retries: 0 } });
    updater = new CardUpdater({ perMessageMs: 0, globalGapMs: 0, backoffMs, maxBackoffMs: backoffMs }, silentLogger);
    return (ts: string, text: string) => () => client.chat.update({ channel: CHANNEL, ts, text }).then(() => undefined);
  }
  const updatesOf = (ts: string) =>
    slack.calls.filter((c) => c.method === 'chat.update' && (c.args as { ts?: string }).ts === ts);

  test('a deleted card (message_not_found) is tried once, not retried; the next transition tries again', async () => {
    const send = start(20);
    const ts = '1700000000.999999';
    slack.failNext('chat.update', { error: 'message_not_found' }, 100); // someone deleted the card
    await updater!.push(ts, send(ts, 'Running'), true, 1);
    await new Promise((r) => setTimeout(r, 300)); // fifteen backoffs' time
    expect(updatesOf(ts).map((c) => c.fault)).toEqual([{ error: 'message_not_found' }]);
    await updater!.push(ts, send(ts, 'Succeeded'), true, 2);
    expect(updatesOf(ts)).toHaveLength(2);
  });

  test('a card failing: a transition does not wait for the retry; the latest goes out when Slack is back', async () => {
    const client = new webApi.WebClient(slack.botToken, { slackApiUrl: slack.apiUrl });
    const ts = (await client.chat.postMessage({ channel: CHANNEL, text: 'Running 0 %' })).ts!;
    const send = start(2_000);
    slack.failNext('chat.update', { status: 500 }, 1);
    await updater!.push(ts, send(ts, 'Running 50 %'), true, 1); // the failed attempt
    const t0 = Date.now();
    await updater!.push(ts, send(ts, 'Succeeded'), true, 2);
    expect(Date.now() - t0).toBeLessThan(500); // not the 2 s backoff
    await updater!.flush();
    expect(slack.messages(CHANNEL).find((m) => m.ts === ts)?.text).toBe('Succeeded');
    expect(updatesOf(ts).filter((c) => !c.fault)).toHaveLength(1);
  });
});
