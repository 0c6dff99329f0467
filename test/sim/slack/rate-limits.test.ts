import { WebClient } from '@slack/web-api';
import { afterEach, describe, expect, it } from 'vitest';
import { RateLimiter, SIM_DEFAULTS, startFakeSlack, type FakeSlack } from '../../../src/sim/slack/index.js';

describe("Slack stand-in: Slack's rate limits, when enforced", () => {
  let slack: FakeSlack | undefined;
  afterEach(async () => slack?.close());

  it('answers the 51st chat.update of a minute with 429 and a Retry-After, as Slack does', async () => {
    slack = await startFakeSlack();
    slack.enforceRateLimits();
    const client = new WebClient(SIM_DEFAULTS.botToken, {
      slackApiUrl: slack.apiUrl,
      retryConfig: { retries: 0 },
      rejectRateLimitedCalls: true,
    });
    const posted = await client.chat.postMessage({ channel: 'C0RL', text: 'card' });
    for (let i = 0; i < 50; i++) await client.chat.update({ channel: 'C0RL', ts: posted.ts!, text: `u${i}` });
    await expect(client.chat.update({ channel: 'C0RL', ts: posted.ts!, text: 'one too many' })).rejects.toMatchObject({
      code: 'slack_webapi_rate_limited_error',
    });
    const limited = slack.callsTo('chat.update').filter((c) => c.rateLimited);
    expect(limited).toHaveLength(1);
    expect(limited[0]!.fault).toMatchObject({ status: 429 });
    expect((limited[0]!.fault as { retryAfter: number }).retryAfter).toBeGreaterThanOrEqual(1);
    expect((limited[0]!.fault as { retryAfter: number }).retryAfter).toBeLessThanOrEqual(60);
  });

  it('counts a sliding minute per method, and chat.postMessage per channel', () => {
    const limiter = new RateLimiter({
      'chat.update': { perMinute: 2 },
      'chat.postMessage': { perMinute: 1, perChannel: true },
    });
    expect(limiter.take('chat.update', 'C1', 0)).toBeUndefined();
    expect(limiter.take('chat.update', 'C2', 10_000)).toBeUndefined();
    expect(limiter.take('chat.update', 'C1', 20_000)).toBe(40); // the first leaves the window at 60 s
    expect(limiter.take('chat.update', 'C1', 60_001)).toBeUndefined();
    expect(limiter.take('chat.postMessage', 'C1', 0)).toBeUndefined();
    expect(limiter.take('chat.postMessage', 'C2', 0)).toBeUndefined();
    expect(limiter.take('chat.postMessage', 'C1', 1_000)).toBe(59);
    expect(limiter.take('users.info', 'C1', 0)).toBeUndefined();
  });
});
