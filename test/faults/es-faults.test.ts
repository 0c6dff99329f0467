import { afterEach, describe, expect, test } from 'vitest';
import { alice, bob, setEsFault as fault, startDrainHarness, type DrainHarness } from '../support/drain-fixture.js';
import { eventually } from '../support/wait.js';

describe('Elasticsearch misbehaving during a drain', () => {
  let h: DrainHarness;
  afterEach(async () => {
    await fault(h, { mode: 'none' }).catch(() => undefined);
    await h?.close();
  });

  async function drainUntilWaiting(opts: Parameters<typeof startDrainHarness>[0]) {
    h = await startDrainHarness({
      retry: { baseMs: 100, maxMs: 300, giveUpAfterMs: 60_000 },
      localCluster: () => ({ requestTimeoutMs: 800 }),
      ...opts,
    });
    await h.driver.command('/es', 'drain node-3', alice);
    const card = await h.cardWithButton('run_approve');
    await h.click('run_approve', bob, card);
    await eventually(
      async () => ((await h.stack.bot.engine.listRuns())[0]?.steps[1]?.attempts ?? 0) >= 2,
      'the wait step to be polling',
    );
    return card;
  }

  test.each([
    ['429', { mode: 'status', status: 429, durationMs: 1500 }, /HTTP 429/],
    ['timeouts', { mode: 'timeout', durationMs: 2500 }, /did not answer in time/],
    // A reset can land on the request or on the answer: the client reports it as a connection error or a timeout.
    ['connection resets', { mode: 'reset', durationMs: 1500 }, /is unreachable|did not answer in time/],
  ])(
    '%s for a while: one warning, the run waits, resumes and completes, never done early',
    async (_name, spec, warning) => {
      const card = await drainUntilWaiting({ speed: 5 });
      // The fault lasts until the bot has seen it, then ends: a fixed window could close while the
      // client was still retrying (seen on a loaded machine: no error ever reached the step).
      const { durationMs: _window, ...lasting } = spec as { durationMs?: number };
      await fault(h, lasting);
      const warned = await eventually(
        () => h.threadTexts(card.ts).find((t) => warning.test(t)),
        `the warning (thread: ${JSON.stringify(h.threadTexts(card.ts))})`,
        15_000,
      );
      await fault(h, { mode: 'none' });
      expect(warned).toContain(':warning:');
      expect((await h.stack.bot.engine.listRuns())[0]!.status).not.toBe('succeeded');
      await eventually(
        () => h.threadTexts(card.ts).find((t) => /recovered|back/i.test(t)),
        'the recovery note',
        15_000,
      );
      h.stack.es.setSpeed(100);
      await eventually(
        () => h.threadTexts(card.ts).find((t) => t.includes('safe to stop')),
        'the drain to finish',
        30_000,
      );
      expect(h.threadTexts(card.ts).filter((t) => warning.test(t))).toHaveLength(1);
      const node3 = (await h.es.cat.allocation({ node_id: 'node-3', format: 'json' })).find((r) => r.node === 'node-3');
      expect(Number(node3?.shards)).toBe(0);
    },
    60_000,
  );

  test('ES gone for good: the run fails after its limit, saying what it reached and what to do', async () => {
    const card = await drainUntilWaiting({ speed: 0.01, retry: { baseMs: 100, maxMs: 200, giveUpAfterMs: 1500 } });
    await fault(h, { mode: 'status', status: 503 });
    const failure = await eventually(
      () => h.threadTexts(card.ts).find((t) => t.includes('the run failed')),
      'the failure',
      20_000,
    );
    expect(failure).toContain('Wait while ES moves the shards of the node');
    expect(failure).toContain('HTTP 503');
    const run = (await h.stack.bot.engine.listRuns())[0]!;
    expect(run.status).toBe('failed');
    expect(run.steps[0]!.status).toBe('done'); // the exclusion is in: the state reached
    const final = h.cards()[0]!;
    expect(JSON.stringify(final.blocks)).toContain('run_revert'); // what to do: revert it, or keep it
    expect(failure).toContain(
      'Done before the failure:\n• Move shards off the node — persistent ' +
        'cluster.routing.allocation.exclude._ip = 172.31.0.39',
    );
    expect(failure).toContain('press *Revert* on the card');
  }, 60_000);
});
