import { describe, expect, test } from 'vitest';
import { crashAtBoundaries } from '../support/crash-boundary.js';
import { alice, startDrainHarness } from '../support/drain-fixture.js';
import { stepDoneCounts } from '../support/audit-counts.js';
import { CRASH_TIMING } from '../support/worker-process.js';

/**
 * A fast drain (`--fast`: the recovery throttles raised for the drain, restored after it), its
 * worker SIGKILLed at each boundary of the raise, the wait and the restore (its own file: it runs
 * beside the plain drain's and the bounce's).
 */
describe('a fast drain whose worker is SIGKILLed at every step boundary', () => {
  const { use, crashThenFinish } = crashAtBoundaries();
  const RATE = 'indices.recovery.max_bytes_per_sec';
  const IN = 'cluster.routing.allocation.node_concurrent_incoming_recoveries';
  const OUT = 'cluster.routing.allocation.node_concurrent_outgoing_recoveries';
  const fastRecovery = {
    maxBytesPerSec: '200mb',
    nodeConcurrentIncomingRecoveries: 4,
    nodeConcurrentOutgoingRecoveries: 4,
  };

  test.each([
    'step_done:raise-recovery-throttle',
    'step_started:wait-for-empty',
    'step_done:wait-for-empty',
    'step_started:restore-recovery-throttle',
  ])(
    'fast drain, crash at %s: the throttle raised once and restored once, to unset',
    async (boundary) => {
      const prefix = `b-fast-${boundary.replace(/[^a-z]/g, '')}-${Date.now()}`;
      const h = use(
        await startDrainHarness({
          worker: false,
          prefix,
          speed: 50,
          ...CRASH_TIMING,
          localCluster: () => ({ fastRecovery }),
        }),
      );
      await crashThenFinish(boundary, prefix, () =>
        h.driver.command('/es', 'drain node-3 --fast', alice).then(() => undefined),
      );
      expect(h.proxy.settingsWrites()).toEqual([
        { persistent: { 'cluster.routing.allocation.exclude._ip': '172.31.0.39' } },
        { persistent: { [RATE]: '200mb', [IN]: '4', [OUT]: '4' } },
        { persistent: { [RATE]: null, [IN]: null, [OUT]: null } },
      ]);
      expect(await stepDoneCounts(prefix)).toEqual({
        'move-shards-off': 1,
        'raise-recovery-throttle': 1,
        'wait-for-empty': 1,
        'restore-recovery-throttle': 1,
      });
      const { persistent } = await h.es.cluster.getSettings({ flat_settings: true });
      expect(persistent).toEqual({ 'cluster.routing.allocation.exclude._ip': '172.31.0.39' });
    },
    60_000,
  );
});
