import { afterEach, describe, expect, test } from 'vitest';
import { sentinelOptions } from '../../src/main/redis-connection.js';
import { startPrivateSentinels, type PrivateSentinels } from '../../src/sim/services/private-sentinel.js';
import { SimCluster, startEsSimulator, type EsSimulator } from '../../src/sim/es/index.js';
import { alice, bob, carol, startDrainHarness, type DrainHarness } from '../support/drain-fixture.js';
import { startRecordingProxy, type RecordingProxy } from '../support/recording-proxy.js';
import { clusterActions } from '../support/maintenance-fixture.js';
import { eventually } from '../support/wait.js';

/** Two nodes, another seed: another cluster UUID, so another allocation lock than the drain's cluster. */
const otherCluster = () =>
  new SimCluster({
    nodes: [
      { name: 'other-1', ip: '172.31.1.11', zone: 'primary', diskTotalBytes: 100 * 1024 ** 3 },
      { name: 'other-2', ip: '172.31.1.12', zone: 'primary', diskTotalBytes: 100 * 1024 ** 3 },
    ],
    indices: [{ name: 'other', shards: 2, replicas: 1, bytesPerShard: 1024 ** 2 }],
    seed: 44,
  });

describe('Redis Sentinel failover during active runs and pending approvals', () => {
  let h: DrainHarness | undefined;
  let sentinels: PrivateSentinels | undefined;
  let second: EsSimulator | undefined;
  let secondProxy: RecordingProxy | undefined;
  afterEach(async () => {
    await h?.close();
    await sentinels?.stop();
    await secondProxy?.close();
    await second?.close();
    h = undefined;
    second = undefined;
    secondProxy = undefined;
    sentinels = undefined;
  });

  test('nothing lost: the waiting drain completes, the pending approval still counts', async () => {
    sentinels = await startPrivateSentinels();
    const before = await sentinels.masterPort();
    // Every connection of the bot (engine, BullMQ, replay cache, health) from REDIS_SENTINELS' options.
    const target = sentinelOptions(sentinels.sentinels.map((s) => `${s.host}:${s.port}`).join(','), sentinels.name);
    // A second cluster of its own (its own allocation lock), where the approval stays pending.
    second = await startEsSimulator({ cluster: otherCluster(), tickMs: 20 });
    secondProxy = await startRecordingProxy(second.url);
    h = await startDrainHarness({
      redisUrl: target,
      speed: 2,
      estate: {
        approvers: { users: [bob.user_id, carol.user_id] },
        clusters: { second: { url: secondProxy.url } },
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
    await h.driver.command('/es', 'allocation all --cluster second', alice);
    await eventually(
      async () =>
        (await h!.stack.bot.engine.listRuns()).some(
          (r) => r.runbook === 'es.allocation' && r.status === 'awaiting_approval' && r.message !== undefined,
        ),
      'the pending approval',
    );
    const pending = (await h.stack.bot.engine.listRuns()).find((r) => r.runbook === 'es.allocation')!;

    // Killed, as a crashed host: the sentinels notice within a second and promote the replica.
    const after = await sentinels.failover({ kill: true });
    expect(after).not.toBe(before);

    // Approved after the failover, on the card posted before it: the approval is read from the new master.
    const allocCard = h.cards().find((m) => m.ts === pending.message?.ts)!;
    await h.click('run_approve', carol, allocCard);
    h.stack.es.setSpeed(100);
    await eventually(
      async () => {
        const runs = await h!.stack.bot.engine.listRuns();
        return runs.length === 2 && runs.every((r) => r.status === 'succeeded');
      },
      'both runs to succeed after the failover',
      20_000,
    );
    const runs = await h.stack.bot.engine.listRuns();
    expect(runs.find((r) => r.runbook === 'es.allocation')!.approvals.map((a) => a.by)).toEqual([carol.user_id]);
    expect(runs.find((r) => r.runbook === 'es.drain')!.approvals.map((a) => a.by)).toEqual([bob.user_id]);
    // Each write once: the failover repeated no step.
    expect(clusterActions(h)).toEqual(['exclude._ip=172.31.0.39']);
    expect(secondProxy.settingsWrites()).toEqual([{ persistent: { 'cluster.routing.allocation.enable': 'all' } }]);
    await eventually(
      () => h!.threadTexts(drainCard.ts).some((t) => t.includes('safe to stop')),
      "the drain's final reply",
    );
    expect(h.threadTexts(drainCard.ts).filter((t) => t.includes('safe to stop'))).toHaveLength(1);
  }, 60_000);
});
