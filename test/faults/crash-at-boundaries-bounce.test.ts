import { describe, expect, inject, test } from 'vitest';
import { crashAtBoundaries } from '../support/crash-boundary.js';
import { alice } from '../support/drain-fixture.js';
import { clusterActions, startMaintenanceHarness } from '../support/maintenance-fixture.js';
import { stepDoneCounts } from '../support/audit-counts.js';

/** A bounce of two nodes, its worker SIGKILLed at each step boundary (its own file: it runs beside the drain's). */
describe('a worker SIGKILLed at every step boundary', () => {
  const { use, crashThenFinish } = crashAtBoundaries();

  test.each([
    'step_started:disable-before-node-2',
    'step_started:restart-node-2',
    'step_done:restart-node-2',
    'step_started:enable-after-node-2',
    'step_started:recover-after-node-2',
    'step_started:restart-node-3',
  ])(
    'bounce of two nodes, crash at %s',
    async (boundary) => {
      const prefix = `b-bounce-${boundary.replace(/[^a-z0-9]/g, '')}-${Date.now()}`;
      const h = use(await startMaintenanceHarness({ worker: false, prefix }));
      const sshEnv = { SSH_PRIVATE_KEY_PATH: inject('sshd').privateKeyPath };
      await crashThenFinish(
        boundary,
        prefix,
        () => h.driver.command('/es', 'bounce node-2 node-3', alice).then(() => undefined),
        sshEnv,
      );
      // Node by node (I1); each settings write and each restart exactly once, whatever the crash.
      expect(clusterActions(h)).toEqual([
        'enable=primaries',
        'restart node-2',
        'enable=null',
        'enable=primaries',
        'restart node-3',
        'enable=null',
      ]);
      expect(await stepDoneCounts(prefix)).toEqual(
        Object.fromEntries(
          ['node-2', 'node-3'].flatMap((n) =>
            [`disable-before-${n}`, `restart-${n}`, `enable-after-${n}`, `recover-after-${n}`].map((id) => [id, 1]),
          ),
        ),
      );
    },
    60_000,
  );
});
