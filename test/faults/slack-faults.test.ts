import { afterEach, describe, expect, test } from 'vitest';
import { alice, bob, startDrainHarness, type DrainHarness } from '../support/drain-fixture.js';
import { eventually } from '../support/wait.js';

describe('Slack rate limits and errors during a drain', () => {
  let h: DrainHarness;
  afterEach(async () => {
    await h?.close();
  });

  test(
    '429 with Retry-After and 500s: card updates are delayed, not ' + 'lost; the final message always arrives',
    async () => {
      h = await startDrainHarness({ speed: 5 });
      await h.driver.command('/es', 'drain node-3', alice);
      const card = await h.cardWithButton('run_approve');
      await h.click('run_approve', bob, card);
      await eventually(
        async () => ((await h.stack.bot.engine.listRuns())[0]?.steps[1]?.attempts ?? 0) >= 2,
        'the drain to be under way',
      );
      h.stack.slack.failNext('chat.update', { status: 429, retryAfter: 1 }, 2);
      h.stack.slack.failNext('chat.postMessage', { status: 500 }, 2);
      h.stack.es.setSpeed(100);
      await eventually(
        () => h.threadTexts(card.ts).find((t) => t.includes('node-3 is empty: safe to stop')),
        'the final reply',
        40_000,
      );
      await eventually(
        () => h.cardText(h.view.card(card.ts)!).includes('Done in'),
        'the card in its final state',
        20_000,
      );
      const faults = h.stack.slack.calls.filter((c) => c.fault);
      expect(faults.filter((c) => c.method === 'chat.update')).toHaveLength(2);
      expect(faults.filter((c) => c.method === 'chat.postMessage')).toHaveLength(2);
      // After a 429 the client waited out Retry-After (1 s) before the next chat.update.
      const updates = h.stack.slack.calls.filter((c) => c.method === 'chat.update');
      const limited = updates.findIndex((c) => c.fault);
      expect(updates[limited + 1]!.at - updates[limited]!.at).toBeGreaterThanOrEqual(900);
      // Nothing the thread should say went missing: approval, setting written, done.
      const thread = h.threadTexts(card.ts);
      expect(thread.some((t) => t.includes('approved *Move shards off the node*'))).toBe(true);
      expect(thread.some((t) => t.includes('persistent cluster.routing.allocation.exclude._ip = 172.31.0.39'))).toBe(
        true,
      );
    },
    90_000,
  );
});
