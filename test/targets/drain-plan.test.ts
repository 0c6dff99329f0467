import { Client } from '@elastic/elasticsearch';
import { afterEach, describe, expect, test } from 'vitest';
import { SimCluster, startEsSimulator, type EsSimulator } from '../../src/sim/es/index.js';
import {
  AllocationWriter,
  ClusterReader,
  planDrain,
  UnknownNodeError,
  watermarkCeiling,
} from '../../src/targets/elasticsearch/index.js';
import { startRecordingProxy, type RecordingProxy } from '../support/recording-proxy.js';

const GB = 1024 ** 3;
const EXCLUDE = 'cluster.routing.allocation.exclude._ip';

describe('drain plan and merge-safe exclusion edits against the simulator', () => {
  let sim: EsSimulator | undefined;
  let proxy: RecordingProxy | undefined;
  const clients: Client[] = [];
  afterEach(async () => {
    for (const c of clients.splice(0)) await c.close();
    await proxy?.close();
    await sim?.close();
    proxy = undefined;
  });

  async function start(cluster: SimCluster, through?: Parameters<typeof startRecordingProxy>[1]) {
    sim = await startEsSimulator({ cluster, tickMs: 0 });
    proxy = await startRecordingProxy(sim.url, through);
    const bot = new Client({ node: proxy.url });
    const direct = new Client({ node: sim.url });
    clients.push(bot, direct);
    return { reader: new ClusterReader('test', bot, proxy.url), direct };
  }

  const nodes = (spec: [string, string, number][]) =>
    spec.map(([name, ip, disk]) => ({ name, ip, zone: 'primary', diskTotalBytes: disk * GB }));

  test('two nodes on one IP: draining by _ip warns that both would drain', async () => {
    const { reader } = await start(
      new SimCluster({
        nodes: nodes([
          ['node-1', '10.0.0.1', 100],
          ['node-2', '10.0.0.2', 100],
          ['node-3', '10.0.0.3', 100],
          ['node-3b', '10.0.0.3', 100],
        ]),
        indices: [{ name: 'i', shards: 2, replicas: 1, bytesPerShard: GB }],
      }),
    );
    const plan = await planDrain(reader, 'node-3', '_ip');
    expect(plan.sharingIp).toEqual(['node-3b']);
    expect(plan.warnings.join('\n')).toContain(
      'node-3b shares IP 10.0.0.3: excluding _ip drains it too (set excludeBy: _name in opsbot.yaml to drain one)',
    );
    const byName = await planDrain(reader, 'node-3', '_name');
    expect(byName.key).toBe('cluster.routing.allocation.exclude._name');
    expect(byName.newList).toEqual(['node-3']);
    expect(byName.warnings.join('\n')).not.toContain('shares IP');
  });

  test('not enough room under the high watermark on the other nodes: refused with the figures', async () => {
    const { reader, direct } = await start(
      new SimCluster({
        nodes: nodes([
          ['node-1', '10.0.0.1', 30],
          ['node-2', '10.0.0.2', 30],
          ['node-3', '10.0.0.3', 400],
        ]),
        indices: [{ name: 'big', shards: 6, replicas: 0, bytesPerShard: 8 * GB }],
      }),
    );
    await direct.cluster.putSettings({
      persistent: {
        'cluster.routing.allocation.disk.watermark.low': '40%',
        'cluster.routing.allocation.disk.watermark.high': '50%',
      },
    });
    // The small nodes are already past 50% of their 30 GB: nothing can take node-3's shards.
    const plan = await planDrain(reader, 'node-3', '_ip');
    expect(plan.capacityBytes).toBe(0);
    expect(plan.refusals.join('\n')).toMatch(
      /the other nodes have 0\.0 GB free under the high watermark \(50%\) but node-3 holds 16\.0 GB: add nodes or free disk first/,
    );
    // The big node can take either small node's shards.
    expect((await planDrain(reader, 'node-1', '_ip')).refusals).toEqual([]);
  });

  test('a red cluster refuses; an unknown node names the known ones', async () => {
    const cluster = new SimCluster({
      nodes: nodes([
        ['node-1', '10.0.0.1', 100],
        ['node-2', '10.0.0.2', 100],
        ['node-3', '10.0.0.3', 100],
      ]),
      indices: [{ name: 'solo', shards: 3, replicas: 0, bytesPerShard: GB }],
    });
    const { reader } = await start(cluster);
    cluster.stopNode('node-1'); // its primaries have no replica: red
    const plan = await planDrain(reader, 'node-2', '_ip');
    expect(plan.health.status).toBe('red');
    expect(plan.refusals[0]).toMatch(/^the cluster is red \(\d+ unassigned shards\): fix that first/);
    await expect(planDrain(reader, 'node-9', '_ip')).rejects.toThrow(UnknownNodeError);
  });

  test('a concurrent writer adds an entry between our write and our read-back: both entries survive', async () => {
    let raced = false;
    const cluster = new SimCluster({
      nodes: nodes([
        ['node-1', '10.0.0.1', 100],
        ['node-2', '10.0.0.2', 100],
      ]),
      indices: [],
    });
    const { reader, direct } = await start(cluster, async (r) => {
      // Right after our first PUT lands, another operator's tool replaces the list with its own view.
      if (r.method === 'PUT' && !raced) {
        raced = true;
        await direct.cluster.putSettings({ persistent: { [EXCLUDE]: '10.9.9.9,10.8.8.8' } });
      }
    });
    await direct.cluster.putSettings({ persistent: { [EXCLUDE]: '10.9.9.9' } });
    const change = await new AllocationWriter(reader).addExclusion('_ip', '10.0.0.2');
    expect(raced).toBe(true);
    expect(change.after).toEqual(['10.9.9.9', '10.8.8.8', '10.0.0.2']);
    const flat = (await direct.cluster.getSettings({ flat_settings: true })).persistent as Record<string, string>;
    expect(flat[EXCLUDE]).toBe('10.9.9.9,10.8.8.8,10.0.0.2');
  });

  test('removing one entry keeps the others; removing the last clears the key', async () => {
    const { reader, direct } = await start(
      new SimCluster({
        nodes: nodes([
          ['node-1', '10.0.0.1', 100],
          ['node-2', '10.0.0.2', 100],
        ]),
        indices: [],
      }),
    );
    await direct.cluster.putSettings({ persistent: { [EXCLUDE]: '10.0.0.1,10.0.0.2' } });
    const w = new AllocationWriter(reader);
    expect((await w.removeExclusion('_ip', '10.0.0.2')).after).toEqual(['10.0.0.1']);
    expect((await w.removeExclusion('_ip', '10.0.0.2')).written).toBe(false);
    await w.removeExclusion('_ip', '10.0.0.1');
    const flat = (await direct.cluster.getSettings({ flat_settings: true })).persistent as Record<string, string>;
    expect(flat[EXCLUDE]).toBeUndefined();
  });

  test('watermark values: percent, ratio, bytes of free space', () => {
    expect(watermarkCeiling('90%', 1000)).toBe(900);
    expect(watermarkCeiling('0.85', 1000)).toBe(850);
    expect(watermarkCeiling('100gb', 500 * GB)).toBe(400 * GB);
    expect(watermarkCeiling(undefined, 1000)).toBe(900);
  });
});
