import { afterEach, describe, expect, test } from 'vitest';
import { alice, startDrainHarness, type DrainHarness } from '../support/drain-fixture.js';
import { eventually } from '../support/wait.js';

const nowSeconds = () => Math.floor(Date.now() / 1000);

describe('signed requests are fresh both ways and count once', () => {
  let h: DrainHarness;
  afterEach(async () => {
    await h?.close();
  });

  test('a request dated more than 5 minutes ahead is refused with 401 and runs nothing', async () => {
    h = await startDrainHarness();
    // 5 minutes and a little more: the margin covers the request's own time in flight on a busy machine.
    const ahead = await h.driver.command('/es', 'status', alice, { timestamp: nowSeconds() + 310 });
    expect(ahead.status).toBe(401);
    // Within the window it is Slack's clock skew: accepted and answered.
    const skewed = await h.driver.command('/es', 'status', alice, { timestamp: nowSeconds() + 60 });
    expect(skewed.status).toBe(200);
    await eventually(() => h.cards().length === 1 || undefined, 'the status answer');
    expect(h.cards()).toHaveLength(1);
  });

  test('the same signed request a second time is refused and answered once', async () => {
    h = await startDrainHarness();
    const { body } = h.driver.commandBody('/es', 'drain node-3', alice);
    const timestamp = nowSeconds();
    const first = await h.driver.send(body, { timestamp });
    const replay = await h.driver.send(body, { timestamp });
    expect(first.status).toBe(200);
    expect(replay.status).toBe(401);
    // Refused before any listener ran (401, not an ack): one card, one run.
    await h.cardWithButton('run_approve');
    expect(h.cards()).toHaveLength(1);
    expect(await h.stack.bot.engine.listRuns()).toHaveLength(1);
  });
});
