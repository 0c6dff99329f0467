import type { ChildProcess } from 'node:child_process';
import { afterEach, describe, expect, inject, test } from 'vitest';
import { SimCluster, startEsSimulator, type EsSimulator } from '../../src/sim/es/index.js';
import { destroyPrivateRedis, startPrivateRedis, type PrivateRedis } from '../../src/sim/services/private-redis.js';
import { alice, bob, carol, startDrainHarness, type DrainHarness } from '../support/drain-fixture.js';
import { clusterActions, simNodeCommands, startMaintenanceHarness } from '../support/maintenance-fixture.js';
import { workersClosedAfterEach } from '../support/crash-boundary.js';
import { eventually } from '../support/wait.js';
import { startWorkerProcess } from '../support/worker-process.js';

const exitOf = (c: ChildProcess) => new Promise<number | null>((resolve) => c.once('exit', (code) => resolve(code)));

describe('graceful shutdown', () => {
  const { use, children } = workersClosedAfterEach();

  test(
    'SIGTERM while a node restart is running: the step finishes and is checkpointed, the process exits 0, the ' +
      'next worker goes on',
    async () => {
      const prefix = `term-${Date.now()}`;
      // A slow restart: the SSH command takes three seconds, so the SIGTERM lands inside it.
      const h = use(
        await startMaintenanceHarness({
          worker: false,
          prefix,
          commands: (url) => ({ ...simNodeCommands(url), restart: `sleep 3; ${simNodeCommands(url).restart}` }),
        }),
      );
      const sshEnv = { SSH_PRIVATE_KEY_PATH: inject('sshd').privateKeyPath };
      const first = await startWorkerProcess(h, prefix, sshEnv);
      children.push(first);
      await h.driver.command('/es', 'bounce node-2', alice);
      const card = await h.cardWithButton('run_approve');
      await h.click('run_approve', bob, card);
      await eventually(
        async () => (await h.stack.bot.engine.listRuns())[0]?.steps[1]?.status === 'running',
        'the restart step to be running',
        30_000,
      );
      const exit = exitOf(first);
      first.kill('SIGTERM');
      expect(await exit).toBe(0);
      const after = (await h.stack.bot.engine.listRuns())[0]!;
      // The restart command had been sent before the exit, and that fact was saved with the step.
      expect(after.steps[1]!.state.sentAt).toEqual(expect.any(Number));
      expect(clusterActions(h)).toEqual(['enable=primaries', 'restart node-2']);
      children.push(await startWorkerProcess(h, prefix, sshEnv));
      await eventually(
        () => h.threadTexts(card.ts).find((t) => t.includes(':tada:')),
        'the run to finish on the next worker',
        30_000,
      );
      expect(clusterActions(h)).toEqual(['enable=primaries', 'restart node-2', 'enable=null']);
    },
    60_000,
  );
});

describe('Redis restarted (AOF on) during active runs and pending approvals', () => {
  let h: DrainHarness | undefined;
  let redis: PrivateRedis | undefined;
  let secondSim: EsSimulator | undefined;
  afterEach(async () => {
    await h?.close();
    await secondSim?.close();
    if (redis) await destroyPrivateRedis(redis);
    h = undefined;
    redis = undefined;
    secondSim = undefined;
  });

  test('nothing lost: the waiting drain resumes, the pending approval is still valid', async () => {
    redis = await startPrivateRedis({ appendonly: true });
    // A second cluster (its own UUID, so its own lock): two runs can be in flight.
    const GB = 1024 ** 3;
    const other = new SimCluster({
      name: 'second',
      nodes: [1, 2].map((i) => ({ name: `s-${i}`, ip: `10.0.1.${i}`, zone: 'primary', diskTotalBytes: 100 * GB })),
      indices: [{ name: 'logs', shards: 2, replicas: 1, bytesPerShard: GB }],
    });
    secondSim = await startEsSimulator({ cluster: other, tickMs: 0 });
    h = await startDrainHarness({
      redisUrl: redis.url,
      speed: 2,
      estate: {
        approvers: { users: [bob.user_id, carol.user_id] },
        clusters: { second: { url: secondSim.url } },
      },
    });
    await h.driver.command('/es', 'drain node-3', alice);
    const drainCard = await h.cardWithButton('run_approve');
    await h.click('run_approve', bob, drainCard);
    await eventually(
      async () =>
        ((await h!.stack.bot.engine.listRuns()).find((r) => r.runbook === 'es.drain')?.steps[1]?.attempts ?? 0) >= 2,
      'the drain to be waiting',
    );
    // `all`: written, yet the drain's effective allocation stays as it was (another value would be
    // a change made outside the drain, which pauses it to ask: tested in es-drain-trouble).
    await h.driver.command('/es', 'allocation all --cluster second', alice);
    await eventually(
      async () =>
        // Its card too: the run is saved before the card is posted and attached.
        (await h!.stack.bot.engine.listRuns()).some(
          (r) => r.runbook === 'es.allocation' && r.status === 'awaiting_approval' && r.message !== undefined,
        ),
      'the pending approval',
    );
    const pendingCard = (await h.stack.bot.engine.listRuns()).find((r) => r.runbook === 'es.allocation')!;

    await redis.stop();
    await new Promise((r) => setTimeout(r, 500));
    await redis.start();

    const allocCard = h.cards().find((m) => m.ts === pendingCard.message?.ts)!;
    await h.click('run_approve', carol, allocCard);
    h.stack.es.setSpeed(100);
    await eventually(
      async () => {
        const runs = await h!.stack.bot.engine.listRuns();
        return runs.length === 2 && runs.every((r) => r.status === 'succeeded');
      },
      'both runs to succeed after the restart',
      60_000,
    );
    expect(clusterActions(h)).toEqual(['exclude._ip=172.31.0.39']);
    expect(secondSim.cluster.settings.persistent.get('cluster.routing.allocation.enable')).toBe('all');
    // The final reply is posted just after the run is saved as succeeded: wait for it, then count.
    await eventually(
      () => h!.threadTexts(drainCard.ts).some((t) => t.includes('safe to stop')),
      "the drain's final reply",
    );
    expect(h.threadTexts(drainCard.ts).filter((t) => t.includes('safe to stop'))).toHaveLength(1);
  }, 90_000);
});
