import { describe, expect, test } from 'vitest';
import { eventually } from '../support/wait.js';
import { harness, REQUESTER, waitForStatus, type Harness } from './helpers.js';

const DAY = 24 * 3600_000;

/** PTTL of each of a run's keys: -1 no expiry, -2 absent, else ms left. */
async function ttls(h: Harness, runId: string, idem: string) {
  return {
    run: await h.redis.pttl(`${h.prefix}:run:${runId}`),
    once: await h.redis.pttl(`${h.prefix}:run:${runId}:once`),
    idem: await h.redis.pttl(`${h.prefix}:idem:${idem}`),
  };
}

describe('an ended run’s keys expire (retention.endedRunDays); a live run’s never do', () => {
  test('live: no TTL on the run, its once-set, its idempotency key; ended: all three expire', async () => {
    const h = await harness({ endedRunTtlMs: 2 * DAY });
    try {
      const { run } = await h.engine.createRun({
        runbook: 'toy.notes',
        params: { checks: 40, recheckMs: 40 },
        requester: REQUESTER,
        channel: 'C1',
        idempotencyKey: 'trigger-live',
      });
      // Waiting between checks, having said its notes once: live, with every key in place.
      await waitForStatus(h, run.id, ['waiting']);
      expect(await ttls(h, run.id, 'trigger-live')).toEqual({ run: -1, once: -1, idem: -1 });

      const short = await h.engine.createRun({
        runbook: 'toy.notes',
        params: { checks: 3, recheckMs: 20 },
        requester: REQUESTER,
        channel: 'C1',
        idempotencyKey: 'trigger-ended',
      });
      await waitForStatus(h, short.run.id, ['succeeded']);
      const ended = await ttls(h, short.run.id, 'trigger-ended');
      for (const ms of Object.values(ended)) {
        expect(ms).toBeGreaterThan(2 * DAY - 60_000);
        expect(ms).toBeLessThanOrEqual(2 * DAY);
      }
      // The live one is still untouched by the other's end.
      expect(await ttls(h, run.id, 'trigger-live')).toEqual({ run: -1, once: -1, idem: -1 });
    } finally {
      await h.close();
    }
  });

  test('a run past its retention is gone from Redis and from the run list, its index entry with it', async () => {
    const h = await harness({ endedRunTtlMs: 1 });
    try {
      const { run } = await h.engine.createRun({
        runbook: 'toy.three',
        params: {},
        requester: REQUESTER,
        channel: 'C1',
      });
      await waitForStatus(h, run.id, ['succeeded']);
      // Never less than a second after the end, so its last words (card, thread) are drawn from it.
      const left = await h.redis.pttl(`${h.prefix}:run:${run.id}`);
      expect(left).toBeGreaterThan(0);
      expect(left).toBeLessThanOrEqual(1000);
      await eventually(async () => (await h.redis.exists(`${h.prefix}:run:${run.id}`)) === 0, 'the run to expire');
      expect((await h.engine.listRuns({ limit: 10 })).map((r) => r.id)).not.toContain(run.id);
      expect(await h.redis.zscore(`${h.prefix}:runs`, run.id)).toBeNull();
    } finally {
      await h.close();
    }
  });
});
