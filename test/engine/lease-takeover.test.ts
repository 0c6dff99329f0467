import type { ChildProcess } from 'node:child_process';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, inject, test } from 'vitest';
import { alice, bob, type DrainHarness } from '../support/drain-fixture.js';
import { clusterActions, simNodeCommands, startMaintenanceHarness } from '../support/maintenance-fixture.js';
import { stepDoneCounts } from '../support/audit-counts.js';
import { eventually } from '../support/wait.js';
import { startWorkerProcess } from '../support/worker-process.js';

/** A worker process (1 s BullMQ lock, 1 s lease) whose warnings are kept; `held`: no job until SIGUSR2. */
async function worker(h: DrainHarness, prefix: string, held = false) {
  let log = '';
  const child = await startWorkerProcess(
    h,
    prefix,
    { SSH_PRIVATE_KEY_PATH: inject('sshd').privateKeyPath },
    { held, log: (c) => (log += c) },
  );
  return { child, log: () => log };
}

describe('a worker frozen past its lock inside a restart, then resumed', () => {
  let h: DrainHarness | undefined;
  const children: ChildProcess[] = [];
  afterEach(async () => {
    for (const c of children.splice(0)) {
      c.kill('SIGCONT');
      c.kill('SIGKILL');
    }
    await h?.close();
    h = undefined;
  });

  test('the restart is sent once, the other worker finishes the run, the late write is refused, logged', async () => {
    const prefix = `lease-stop-${Date.now()}`;
    h = await startMaintenanceHarness({
      worker: false,
      prefix,
      // The command is still running on the node (3 s) when its worker is frozen: the restart has
      // landed, and the worker has not recorded it.
      commands: (url) => ({
        ...simNodeCommands(url),
        restart: `curl -sf -X POST '${url}/_sim/nodes/{node}/_restart?delay_ms=20000' && sleep 3`,
      }),
      timeouts: { leaveMs: 3_000 },
    });
    // Both boot at once (the slow part); the second takes no job until the first is frozen.
    const [first, second] = await Promise.all([worker(h, prefix), worker(h, prefix, true)]);
    children.push(first.child, second.child);
    await h.driver.command('/es', 'bounce node-2', alice);
    const card = await h.cardWithButton('run_approve');
    await h.click('run_approve', bob, card);

    await eventually(() => clusterActions(h!).includes('restart node-2'), 'the restart to reach the node', 20_000);
    first.child.kill('SIGSTOP');
    const redis = new Redis(inject('redisUrl'));
    try {
      const [runKey] = await redis.keys(`${prefix}:run:r-????????????`);
      const frozenAt = Number(await redis.hget(runKey!, 'fence'));

      // The second worker's stalled-job check finds the job's lock gone (1 s), the lease lapses
      // (1 s), and it takes the run over with a newer token: it looks at the node before sending.
      second.child.kill('SIGUSR2');
      await eventually(
        async () => Number(await redis.hget(runKey!, 'fence')) > frozenAt,
        'the second worker to take the lease',
        15_000,
      );
      // Woken while the run is still going: its step call returns and it tries to record it.
      first.child.kill('SIGCONT');
      await eventually(
        () => first.log().includes('write refused: this worker lost the run to another'),
        'the frozen worker to log its refused write',
        15_000,
      );
      await eventually(
        () => h!.threadTexts(card.ts).find((t) => t.includes(':tada:')),
        'the second worker to finish the run',
        30_000,
      );
      expect(h.threadTexts(card.ts).some((t) => t.includes('node-2: the restart sent before a worker restart'))).toBe(
        true,
      );
      expect(clusterActions(h)).toEqual(['enable=primaries', 'restart node-2', 'enable=null']);
      expect(await stepDoneCounts(prefix)).toEqual({
        'disable-before-node-2': 1,
        'restart-node-2': 1,
        'enable-after-node-2': 1,
        'recover-after-node-2': 1,
      });
      // The late worker's command output never reached the thread: it said nothing once it lost the run.
      expect(h.threadTexts(card.ts).filter((t) => t.includes('_restart'))).toEqual([]);
      expect(second.log()).not.toContain('write refused');
    } finally {
      redis.disconnect();
    }
  }, 60_000);
});
