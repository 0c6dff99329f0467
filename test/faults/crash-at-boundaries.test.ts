import type { ChildProcess } from 'node:child_process';
import { afterEach, describe, expect, inject, test } from 'vitest';
import { alice, bob, startDrainHarness, type DrainHarness } from '../support/drain-fixture.js';
import { clusterActions, startMaintenanceHarness } from '../support/maintenance-fixture.js';
import { stepDoneCounts } from '../support/audit-counts.js';
import { eventually } from '../support/wait.js';
import { CRASH_TIMING, exited, startWorkerProcess } from '../support/worker-process.js';

describe('a worker SIGKILLed at every step boundary', () => {
  let h: DrainHarness | undefined;
  const children: ChildProcess[] = [];
  afterEach(async () => {
    for (const c of children.splice(0)) c.kill('SIGKILL');
    await h?.close();
    h = undefined;
  });

  async function crashThenFinish(
    boundary: string,
    prefix: string,
    request: () => Promise<void>,
    sshEnv: NodeJS.ProcessEnv = {},
  ) {
    const first = await startWorkerProcess(h!, prefix, { ...sshEnv, OPSBOT_TEST_CRASH_ON: boundary });
    children.push(first);
    await request();
    const card = await h!.cardWithButton('run_approve');
    await h!.click('run_approve', bob, card);
    await exited(first);
    children.push(await startWorkerProcess(h!, prefix, sshEnv));
    await eventually(
      () => h!.threadTexts(card.ts).find((t) => t.includes(':tada:')),
      `the run to finish after a crash at ${boundary}`,
      40_000,
    );
    expect(h!.stack.slack.messages('C0OPS')).toHaveLength(1);
    return card;
  }

  test.each([
    'step_started:move-shards-off',
    'step_done:move-shards-off',
    'step_started:wait-for-empty',
    'step_done:wait-for-empty',
  ])(
    'drain, crash at %s',
    async (boundary) => {
      const prefix = `b-drain-${boundary.replace(/[^a-z]/g, '')}-${Date.now()}`;
      h = await startDrainHarness({ worker: false, prefix, speed: 50, ...CRASH_TIMING });
      await crashThenFinish(boundary, prefix, () =>
        h!.driver.command('/es', 'drain node-3', alice).then(() => undefined),
      );
      expect(h.proxy.settingsWrites()).toEqual([
        { persistent: { 'cluster.routing.allocation.exclude._ip': '172.31.0.39' } },
      ]);
      expect(await stepDoneCounts(prefix)).toEqual({ 'move-shards-off': 1, 'wait-for-empty': 1 });
    },
    60_000,
  );

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
      h = await startMaintenanceHarness({ worker: false, prefix });
      const sshEnv = { SSH_PRIVATE_KEY_PATH: inject('sshd').privateKeyPath };
      await crashThenFinish(
        boundary,
        prefix,
        () => h!.driver.command('/es', 'bounce node-2 node-3', alice).then(() => undefined),
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
