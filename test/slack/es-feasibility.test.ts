import { describe, expect, test } from 'vitest';
import { SimCluster } from '../../src/sim/es/index.js';
import { alice, bob, harnessesClosedAfterEach, type DrainHarness } from '../support/drain-fixture.js';
import { eventually } from '../support/wait.js';

const GB = 1024 ** 3;
const W = 'cluster.routing.allocation.disk.watermark.';
const node = (name: string, zone: string, diskGb: number, ip: string) => ({
  name,
  ip,
  zone,
  diskTotalBytes: diskGb * GB,
});

/** The refusal the requester alone sees, once it has come. */
const refusal = (h: DrainHarness, what: string) =>
  eventually(() => h.ephemeralTexts(alice.user_id).find((t) => t.includes(what)), `the refusal "${what}"`);

/** No relocation left in the simulator: the cluster has settled after a settings change. */
const settled = (h: DrainHarness) =>
  eventually(() => h.stack.es.cluster.activeRecoveries().length === 0 || undefined, 'no relocations', 15_000);

/**
 * The per-shard precheck through the real Bolt receiver against the simulator: what it refuses,
 * with which index, shard and fix; what it warns; and that a feasible plan still starts.
 */
describe('feasibility precheck on the plan card', () => {
  const start = harnessesClosedAfterEach();

  test('the low watermark blocks a drain although the disks have room under the high one', async () => {
    const h = await start();
    // Every node holds 6 GB of 200 GB: 194 GB free is under the 195gb the low watermark keeps free.
    await h.es.cluster.putSettings({
      persistent: { [`${W}low`]: '195gb', [`${W}high`]: '190gb', [`${W}flood_stage`]: '185gb' },
    });
    await h.driver.command('/es', 'drain node-3', alice);
    const text = await refusal(h, 'Cannot drain node-3');
    expect(text).toMatch(/shard cop(y|ies) \(\d+\.\d GB\) cannot leave node-3, e\.g\. \S+\[\d+\] \((primary|replica)/);
    expect(text).toContain('6.0 GB in 6 copies must leave node-3, and the 3 nodes that may take them have 0 B free');
    expect(text).toContain('(3% used, 194 GB free): disk_threshold, above the low watermark 195gb free');
    expect(text).toContain('add a data node or free disk on the others');
    expect(h.cards()).toEqual([]);
    expect(h.proxy.settingsWrites()).toEqual([]);
  });

  test('zone awareness makes /es exclude-zone spot and maintain --exclude-spot impossible', async () => {
    const cluster = new SimCluster({
      nodes: [
        node('node-1', 'primary', 200, '10.0.0.1'),
        node('node-2', 'primary', 200, '10.0.0.2'),
        node('node-3', 'spot', 200, '10.0.0.3'),
        node('node-4', 'spot', 200, '10.0.0.4'),
      ],
      indices: [{ name: 'logs', shards: 4, replicas: 1, bytesPerShard: GB }],
      seed: 5,
    });
    const h = await start({ cluster });
    await h.es.cluster.putSettings({ persistent: { 'cluster.routing.allocation.awareness.attributes': 'zone' } });
    await h.driver.command('/es', 'exclude-zone spot', alice);
    const text = await refusal(h, 'Cannot exclude zone spot on local');
    expect(text).toMatch(/logs: \d+ shard copies \(\d+\.\d GB\) cannot leave node-\d/);
    expect(text).toContain('awareness, 2 copies over 2 values of zone allow at most 1 in zone primary');
    expect(text).toContain('{"persistent": {"cluster.routing.allocation.awareness.attributes": null}}');
    await h.driver.command('/es', 'maintain node-1 --exclude-spot', alice);
    // With spot excluded as well, node-1's copies have node-2 alone, which holds their other copy.
    const maintain = await refusal(h, 'Cannot drain node-1');
    expect(maintain).toContain('cannot leave node-1, node-3, node-4');
    expect(maintain).toContain('node-2: same_shard, a copy of this shard is already on this node');
    expect(h.cards()).toEqual([]);
  });

  test('the largest shard fits on no other node: refused with its size and the most room there is', async () => {
    const cluster = new SimCluster({
      nodes: [
        node('node-1', 'primary', 500, '10.0.0.1'),
        node('node-2', 'primary', 100, '10.0.0.2'),
        node('node-3', 'primary', 100, '10.0.0.3'),
      ],
      indices: [{ name: 'big', shards: 1, replicas: 0, bytesPerShard: 120 * GB }],
      seed: 5,
    });
    const h = await start({ cluster });
    expect(h.stack.es.cluster.shardsOnNode('node-1')).toHaveLength(1);
    await h.driver.command('/es', 'drain node-1', alice);
    const text = await refusal(h, 'Cannot drain node-1');
    expect(text).toContain('big: 1 shard copy (120 GB) cannot leave node-1, e.g. big[0] (primary, 120 GB)');
    expect(text).toContain('fits on no node: the most room under the high watermark is 90.0 GB');
  });

  test('a tight plan starts with a warning that says what tight means', async () => {
    const cluster = new SimCluster({
      nodes: [
        node('node-1', 'primary', 200, '10.0.0.1'),
        node('node-2', 'primary', 200, '10.0.0.2'),
        node('node-3', 'primary', 200, '10.0.0.3'),
      ],
      indices: [{ name: 'logs', shards: 6, replicas: 0, bytesPerShard: GB }],
      seed: 5,
    });
    const h = await start({ cluster });
    // 2 GB on each 200 GB disk (198 GB free): one more copy takes a target past the low watermark.
    await h.es.cluster.putSettings({
      persistent: { [`${W}low`]: '197.5gb', [`${W}high`]: '196gb', [`${W}flood_stage`]: '195gb' },
    });
    await h.driver.command('/es', 'drain node-3', alice);
    const card = await h.cardWithButton('run_approve');
    const text = h.cardText(card);
    expect(text).toContain(
      'Precheck (per shard)*: 2 copies (2.0 GB) leave node-3; each has an eligible target among 2',
    );
    expect(text).toMatch(/tight: node-1 \(\d+% used\), node-2 \(\d+% used\) would end above the low watermark/);
    expect(text).toContain('ES then allocates nothing more there');
  });

  test('a feasible plan starts, shows the precheck on the card and the dry run, and completes', async () => {
    const h = await start();
    await h.driver.command('/es', 'drain node-3 --dry-run', alice);
    const dry = await eventually(() => h.view.ephemerals(alice.user_id)[0], 'the dry run, to alice alone');
    expect(JSON.stringify(dry.blocks)).toMatch(
      /Precheck \(per shard\)\*: 6 copies \(6\.0 GB\) leave node-3; each has an eligible/,
    );
    await h.driver.command('/es', 'drain node-3', alice);
    const card = await h.cardWithButton('run_approve');
    expect(h.cardText(card)).toMatch(/Largest: \S+\[\d+\] \(1\.0 GB\), fits on 3 nodes\./);
    await h.click('run_approve', bob, card);
    await eventually(
      () => h.threadTexts(card.ts).find((t) => t.includes('node-3 is empty: safe to stop')),
      'the drain to finish',
      30_000,
    );
  });
});

/** What the simulator learned from the other half of issue 15: index filters and total_shards_per_node. */
describe('feasibility precheck: index-level settings', () => {
  const start = harnessesClosedAfterEach();

  test("an index's include filter leaves its node-3 copies only node-1, which holds the other copy", async () => {
    const h = await start();
    const sim = h.stack.es.cluster;
    await h.es.indices.putSettings({
      index: 'jobs20160101_000000',
      settings: { 'index.routing.allocation.include._name': 'node-1,node-3' },
    });
    await settled(h);
    expect(sim.shardsOnNode('node-3').filter((c) => c.group.index.name.startsWith('jobs'))).toHaveLength(4);
    await h.driver.command('/es', 'drain node-3', alice);
    const text = await refusal(h, 'Cannot drain node-3');
    expect(text).toContain('jobs20160101_000000: 4 shard copies (4.0 GB) cannot leave node-3');
    expect(text).toContain('node-1: same_shard, a copy of this shard is already on this node');
    expect(text).toContain('node-2, node-4: filter, index setting index.routing.allocation.not include._name');
    expect(text).toContain('PUT /jobs20160101_000000/_settings {"index.routing.allocation.include._name": null}');
  });

  test('index total_shards_per_node: the other nodes are at the limit, the fix names the number', async () => {
    const h = await start();
    await h.es.indices.putSettings({
      index: 'unittest20160101_000000',
      settings: { 'index.routing.allocation.total_shards_per_node': 4 },
    });
    await settled(h);
    await h.driver.command('/es', 'drain node-3', alice);
    const text = await refusal(h, 'Cannot drain node-3');
    expect(text).toContain('unittest20160101_000000: 4 shard copies (4.0 GB) cannot leave node-3');
    expect(text).toContain('shards_limit, the node already holds 4 copies of the index');
    expect(text).toContain('{"index.routing.allocation.total_shards_per_node": 6}');
  });
});
