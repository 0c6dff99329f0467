import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, test } from 'vitest';
import { bob, harnessesClosedAfterEach } from '../support/drain-fixture.js';
import { eventually } from '../support/wait.js';

/**
 * Slack delivers an event again when it thinks the first delivery was not acknowledged: over HTTP
 * with X-Slack-Retry-Num (signed anew, so the replay check cannot see it) and over Socket Mode with
 * retry_attempt (no signature at all). Either way the redelivery carries the first's event_id and
 * is handled once: the App Home tab is drawn once for it.
 */
describe('an Events API delivery Slack sends again is handled once', () => {
  const start = harnessesClosedAfterEach();

  test.each([
    ['HTTP (signed, X-Slack-Retry-Num)', false],
    ['Socket Mode (retry_attempt)', true],
  ])('%s: the retry of an app_home_opened draws nothing; a new event draws again', async (_, socketMode) => {
    const h = await start({ socketMode });
    const publishes = () => h.stack.slack.callsTo('views.publish').length;
    const opened = { type: 'app_home_opened', user: bob.user_id, tab: 'home', channel: 'D0HOME' };
    const first = `EV${randomBytes(5).toString('hex').toUpperCase()}`;
    expect((await h.driver.event(opened, { eventId: first })).status).toBe(200);
    await eventually(() => publishes() === 1, 'the first draw');
    // The retry is acknowledged (Slack stops sending it) and dropped.
    const retry = await h.driver.event(opened, { eventId: first, retryNum: 1, retryReason: 'http_timeout' });
    expect(retry.status).toBe(200);
    expect((await h.driver.event(opened, { eventId: `${first}2` })).status).toBe(200);
    await eventually(() => publishes() === 2, 'the draw for the new event');
    await sleep(300);
    expect(publishes()).toBe(2);
  });
});
