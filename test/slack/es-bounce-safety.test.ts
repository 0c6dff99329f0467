import { afterEach, describe, expect, test } from 'vitest';
import { alice, bob, type DrainHarness } from '../support/drain-fixture.js';
import { clusterActions, startMaintenanceHarness } from '../support/maintenance-fixture.js';
import { eventually } from '../support/wait.js';

const GB = 1024 ** 3;

/**
 * I1: no shard group loses its last active copy because of a bot action. The danger, produced by
 * the simulator: two nodes that both hold copies of one shard restarted back to back (red while
 * the second restarts), or a node holding a `number_of_replicas: 0` shard restarted at all.
 */
describe('a bounce never takes the last copy of a shard offline (I1)', () => {
  let h: DrainHarness;
  afterEach(async () => {
    await h?.close();
  });

  test('bounce of two nodes that share shards: never red, one node at a time', async () => {
    h = await startMaintenanceHarness();
    const sim = h.stack.es.cluster;
    const both = sim
      .shardsOnNode('node-2')
      .filter((c) => c.group.copies.some((o) => o !== c && sim.shardsOnNode('node-3').includes(o)));
    expect(both.length).toBeGreaterThan(0); // shards whose two copies are on node-2 and node-3
    const colours: string[] = [];
    const stop = sim.onAdvance(() => colours.push(sim.health().status));
    try {
      await h.driver.command('/es', 'bounce node-2 node-3', alice);
      const card = await h.cardWithButton('run_approve');
      await h.click('run_approve', bob, card);
      await eventually(() => h.threadTexts(card.ts).find((t) => t.includes(':tada:')), 'the bounce to finish', 45_000);
    } finally {
      stop();
    }
    expect(colours.length).toBeGreaterThan(10);
    expect(colours).not.toContain('red');
    expect(colours).toContain('yellow'); // a node was really away
    expect(clusterActions(h).filter((a) => a.startsWith('restart'))).toEqual(['restart node-2', 'restart node-3']);
  }, 60_000);

  test('a node holding the only copy of a shard (0 replicas) is not bounced: the plan names the shard', async () => {
    h = await startMaintenanceHarness();
    const sim = h.stack.es.cluster;
    sim.createIndex({ name: 'scratch', shards: 4, replicas: 0, bytesPerShard: 1 * GB });
    const onNode2 = await eventually(
      () => sim.shardsOnNode('node-2').find((c) => c.group.index.name === 'scratch' && c.state === 'STARTED'),
      'a scratch shard started on node-2',
    );
    await h.driver.command('/es', 'bounce node-2', alice);
    const refusal = await eventually(
      () => h.ephemeralTexts(alice.user_id).find((t) => t.includes('Cannot bounce')),
      'the refusal',
    );
    expect(refusal).toContain(`node-2 holds the only active copy of`);
    expect(refusal).toContain(`scratch[${onNode2.group.id}]`);
    expect(refusal).toContain('number_of_replicas');
    expect(await h.stack.bot.engine.listRuns()).toEqual([]);
    expect(clusterActions(h)).toEqual([]);
  });

  test('a red cluster is not bounced', async () => {
    h = await startMaintenanceHarness();
    const sim = h.stack.es.cluster;
    sim.createIndex({ name: 'scratch', shards: 4, replicas: 0, bytesPerShard: 1 * GB });
    await eventually(
      () => sim.shardsOnNode('node-4').some((c) => c.group.index.name === 'scratch' && c.state === 'STARTED'),
      'a scratch shard on node-4',
    );
    sim.stopNode('node-4');
    await eventually(() => sim.health().status === 'red', 'the cluster to turn red');
    await h.driver.command('/es', 'bounce node-2', alice);
    const refusal = await eventually(
      () => h.ephemeralTexts(alice.user_id).find((t) => t.includes('Cannot bounce')),
      'the refusal',
    );
    expect(refusal).toContain('is red');
    expect(await h.stack.bot.engine.listRuns()).toEqual([]);
  });
});
