import { describe, expect, test } from 'vitest';
import { crashAtBoundaries } from '../support/crash-boundary.js';
import { alice, startDrainHarness } from '../support/drain-fixture.js';
import { stepDoneCounts } from '../support/audit-counts.js';
import { CRASH_TIMING } from '../support/worker-process.js';

/** A drain whose worker is SIGKILLed at each step boundary (the bounce's are in crash-at-boundaries-bounce). */
describe('a worker SIGKILLed at every step boundary', () => {
  const { use, crashThenFinish } = crashAtBoundaries();

  test.each([
    'step_started:move-shards-off',
    'step_done:move-shards-off',
    'step_started:wait-for-empty',
    'step_done:wait-for-empty',
  ])(
    'drain, crash at %s',
    async (boundary) => {
      const prefix = `b-drain-${boundary.replace(/[^a-z]/g, '')}-${Date.now()}`;
      const h = use(await startDrainHarness({ worker: false, prefix, speed: 50, ...CRASH_TIMING }));
      await crashThenFinish(boundary, prefix, () =>
        h.driver.command('/es', 'drain node-3', alice).then(() => undefined),
      );
      expect(h.proxy.settingsWrites()).toEqual([
        { persistent: { 'cluster.routing.allocation.exclude._ip': '172.31.0.39' } },
      ]);
      expect(await stepDoneCounts(prefix)).toEqual({ 'move-shards-off': 1, 'wait-for-empty': 1 });
    },
    60_000,
  );
});
