import { afterEach, describe, expect, test } from 'vitest';
import { alice, bob, carol, startDrainHarness, type DrainHarness } from '../support/drain-fixture.js';
import { SimCluster } from '../../src/sim/es/index.js';
import { eventually } from '../support/wait.js';

const ENABLE = 'cluster.routing.allocation.enable';
const EXCLUDE = 'cluster.routing.allocation.exclude._ip';

/**
 * I2: "empty" / "safe to stop" only for a node that is present in the cluster and holds no copy.
 * The danger, produced by the simulator: the node crashes mid-drain while it still holds shards
 * (its `_cat/allocation` row disappears, which once read as "0 shards left").
 */
describe('a drained node that crashes is never called empty (I2)', () => {
  let h: DrainHarness;
  afterEach(async () => {
    await h?.close();
  });

  test('node-3 leaves mid-drain holding shards: the thread says NOT safe; once back, the drain ends', async () => {
    h = await startDrainHarness();
    // Slow the moves, so the node still holds shards when it crashes.
    await h.es.cluster.putSettings({ persistent: { 'indices.recovery.max_bytes_per_sec': '20mb' } });
    await h.driver.command('/es', 'drain node-3', alice);
    const card = await h.cardWithButton('run_approve');
    await h.click('run_approve', bob, card);
    await eventually(() => h.stack.es.cluster.activeRecoveries().length > 0, 'a shard moving off node-3');
    const held = h.stack.es.cluster.shardsOnNode('node-3').length;
    expect(held).toBeGreaterThan(0);

    h.stack.es.cluster.stopNode('node-3');
    const alarm = await eventually(
      () => h.threadTexts(card.ts).find((t) => t.includes('left the cluster')),
      'the alarm that node-3 left',
      15_000,
    );
    expect(alarm).toMatch(/node-3 left the cluster while holding \d+ shards?: it is NOT safe to stop/);
    // Several polls later it is still not called empty, whatever `_cat/allocation` says now.
    await new Promise((r) => setTimeout(r, 1500));
    expect(h.threadTexts(card.ts).some((t) => t.includes('safe to stop') && !t.includes('NOT safe'))).toBe(false);
    expect((await h.stack.bot.engine.listRuns())[0]?.status).not.toBe('succeeded');

    // It comes back: its remaining shards move off and only then is it empty.
    h.stack.es.cluster.startNode('node-3');
    await h.es.cluster.putSettings({ persistent: { 'indices.recovery.max_bytes_per_sec': null } });
    const done = await eventually(
      () => h.threadTexts(card.ts).find((t) => t.includes('node-3 is empty: safe to stop')),
      'the drain to finish once node-3 is back',
      45_000,
    );
    expect(done).toBeDefined();
    expect(h.stack.es.cluster.shardsOnNode('node-3')).toHaveLength(0);
  });

  test('"Enable shard movement" fails loudly when a transient enable: none overrides it (I3)', async () => {
    h = await startDrainHarness();
    await h.es.cluster.putSettings({ persistent: { [ENABLE]: 'none' } });
    await h.driver.command('/es', 'allocation all', alice);
    const card = await h.cardWithButton('run_approve');
    // Someone (Cerebro, a script) sets a transient value after the plan: the approval is void...
    await h.es.cluster.putSettings({ transient: { [ENABLE]: 'none' } });
    await h.click('run_approve', bob, card);
    await eventually(
      () => h.threadTexts(card.ts).find((t) => t.includes('The plan changed')),
      'the approval voided by the new fact',
    );
    // ...and approved again, the write happens, but what is in force is still "none".
    await h.click('run_approve', bob, await h.cardWithButton('run_approve'));
    const failed = await eventually(
      () => h.threadTexts(card.ts).find((t) => t.includes('the run failed')),
      'the failure',
      15_000,
    );
    expect(failed).toContain(`transient ${ENABLE} = "none" overrides`);
    expect((await h.stack.bot.engine.listRuns())[0]?.status).toBe('failed');
  });
});

/** I4: Revert undoes only what the run itself wrote, to the exact value it found. */
describe('revert undoes only what the run wrote (I4)', () => {
  let h: DrainHarness;
  afterEach(async () => {
    await h?.close();
  });

  test('a drain of a node already in the exclusion list: cancelled and reverted, the entry stays', async () => {
    h = await startDrainHarness({ speed: 0.01 });
    await h.es.cluster.putSettings({ persistent: { [EXCLUDE]: '10.0.0.7,172.31.0.39' } });
    await h.driver.command('/es', 'drain node-3', alice);
    const card = await h.cardWithButton('run_approve');
    await h.click('run_approve', bob, card);
    const [run] = await eventually(async () => {
      const r = await h.stack.bot.engine.listRuns();
      return r[0]?.steps[0]?.status === 'done' ? r : undefined;
    }, 'the first step done');
    await h.driver.command('/ops', `cancel ${run!.id}`, alice);
    await h.click('run_revert', alice, await h.cardWithButton('run_revert'));
    await h.click('run_approve', carol, await h.cardWithButton('run_approve'));
    await eventually(async () => (await h.stack.bot.engine.getRun(run!.id))?.status === 'reverted', 'the revert');
    const persistent = (await h.es.cluster.getSettings({ flat_settings: true })).persistent as Record<string, string>;
    expect(persistent[EXCLUDE]).toBe('10.0.0.7,172.31.0.39');
    const undo = (await h.stack.bot.engine.getRun(run!.id))!.undoSteps[0]!;
    expect(undo.summary).toContain('was in cluster.routing.allocation.exclude._ip before this run');
  });
});

/** A long replica move is progress, not a stall: ES rebuilds it from the primary on another node. */
describe('stall detection reads the recoveries', () => {
  let h: DrainHarness;
  afterEach(async () => {
    await h?.close();
  });

  test('draining the node of a 10 GB replica: copying for minutes is not called stalled', async () => {
    const GB = 1024 ** 3;
    const node = (name: string, ip: string) => ({ name, ip, zone: 'primary', diskTotalBytes: 200 * GB });
    const cluster = new SimCluster({
      nodes: [node('node-1', '10.0.0.1'), node('node-2', '10.0.0.2'), node('node-3', '10.0.0.3')],
      indices: [{ name: 'big', shards: 1, replicas: 1, bytesPerShard: 10 * GB }],
      seed: 7,
    });
    const replica = cluster.nodes().find((n) => cluster.shardsOnNode(n.name).some((c) => !c.primary))!;
    // 10 GB at 40 MB/s is about 4 simulated minutes; a stall is called after 50 simulated seconds.
    h = await startDrainHarness({ cluster, drainTiming: { pollMs: 100, stallAfterMs: 1_000 } });
    await h.driver.command('/es', `drain ${replica.name}`, alice);
    const card = await h.cardWithButton('run_approve');
    await h.click('run_approve', bob, card);
    await eventually(
      () => h.threadTexts(card.ts).find((t) => t.includes(`${replica.name} is empty: safe to stop`)),
      'the drain to finish',
      30_000,
    );
    expect(h.threadTexts(card.ts).filter((t) => t.includes('Stalled'))).toEqual([]);
  });
});

/** Any moment of red health during a run is said in the thread and stays on the card. */
describe('red moments are reported', () => {
  let h: DrainHarness;
  afterEach(async () => {
    await h?.close();
  });

  test('the cluster turns red mid-drain and recovers: the thread says both, the card keeps how long', async () => {
    h = await startDrainHarness();
    const sim = h.stack.es.cluster;
    await h.es.cluster.putSettings({ persistent: { 'indices.recovery.max_bytes_per_sec': '20mb' } });
    sim.createIndex({ name: 'scratch', shards: 4, replicas: 0, bytesPerShard: 1024 ** 2 });
    const holder = await eventually(
      () =>
        ['node-1', 'node-2', 'node-4'].find((n) =>
          sim.shardsOnNode(n).some((c) => c.group.index.name === 'scratch' && c.state === 'STARTED'),
        ),
      'a scratch shard on a node other than node-3',
    );
    await h.driver.command('/es', 'drain node-3', alice);
    const card = await h.cardWithButton('run_approve');
    await h.click('run_approve', bob, card);
    await eventually(() => sim.activeRecoveries().length > 0, 'a shard moving off node-3');
    sim.stopNode(holder);
    await eventually(
      () => h.threadTexts(card.ts).find((t) => t.includes('Cluster local turned red')),
      'the red alarm',
      15_000,
    );
    sim.startNode(holder);
    await h.es.cluster.putSettings({ persistent: { 'indices.recovery.max_bytes_per_sec': null } });
    const over = await eventually(
      () => h.threadTexts(card.ts).find((t) => t.includes('is no longer red')),
      'the end of the red moment',
      30_000,
    );
    expect(over).toMatch(/it was red for \d+/);
    const final = await eventually(
      () => {
        const text = h.cardText(h.view.card(card.ts)!);
        return text.includes('safe to stop') ? text : undefined;
      },
      'the drain to finish',
      45_000,
    );
    expect(final).toMatch(/the cluster was red for \d+\S* during this step/);
  });
});
