import { describe, expect, test } from 'vitest';
import { advanceUntil, allCopies, cluster, GB, nodes, nodeSpec } from './fixtures.js';

describe('nodes leaving and rejoining', () => {
  test(
    'a stopped node: replicas promoted, yellow with delayed replicas; ' + 'back within the delay: reused, green fast',
    () => {
      const c = cluster({
        nodes: nodes(4),
        indices: [{ name: 'unittest20160101_000000', shards: 12, replicas: 1, bytesPerShard: 20 * GB }],
      });
      const onNode = c.shardsOnNode('node-2').length;
      c.stopNode('node-2');
      const h = c.health();
      // Every primary it held had an active replica elsewhere: promoted, so nothing is red.
      expect(h).toMatchObject({
        status: 'yellow',
        number_of_nodes: 3,
        active_primary_shards: 12,
        unassigned_shards: onNode,
        delayed_unassigned_shards: onNode,
      });
      // index.unassigned.node_left.delayed_timeout (1m): nothing is rebuilt elsewhere meanwhile.
      c.advance(30_000);
      expect(c.health()).toMatchObject({ unassigned_shards: onNode, initializing_shards: 0 });
      c.startNode('node-2');
      // Its on-disk copies are reused: no 20 GB copies, seconds instead of minutes.
      c.advance(5_000);
      expect(c.health()).toMatchObject({ status: 'green', unassigned_shards: 0 });
      expect(c.shardsOnNode('node-2')).toHaveLength(onNode);
    },
  );

  test('after the delay, replicas are rebuilt on the remaining nodes', () => {
    const c = cluster({
      nodes: nodes(4),
      indices: [{ name: 'jobs20160101_000000', shards: 8, replicas: 1, bytesPerShard: GB }],
    });
    c.stopNode('node-4');
    c.advance(61_000);
    expect(c.health().delayed_unassigned_shards).toBe(0);
    advanceUntil(c, () => c.health().status === 'green', 5_000);
    expect(c.health()).toMatchObject({ number_of_nodes: 3, active_shards: 16 });
  });

  test('without replicas a stopped node makes the cluster red until it returns', () => {
    const c = cluster({
      nodes: nodes(3),
      indices: [{ name: 'perf20160101_000000', shards: 6, replicas: 0, bytesPerShard: GB }],
    });
    c.stopNode('node-1');
    expect(c.health()).toMatchObject({ status: 'red', unassigned_shards: 2, unassigned_primary_shards: 2 });
    // A primary that held data is never recreated empty elsewhere.
    c.advance(3_600_000);
    expect(c.health().status).toBe('red');
    expect(
      allCopies(c)
        .filter((s) => s.state === 'UNASSIGNED')
        .every((s) => s.unassigned?.lastAllocationStatus === 'no_valid_shard_copy'),
    ).toBe(true);
    c.startNode('node-1');
    advanceUntil(c, () => c.health().status === 'green', 1000);
    expect(c.shardsOnNode('node-1')).toHaveLength(2);
  });

  test('the runbook bounce: enable=none, restart a node, enable=all', () => {
    const c = cluster({
      nodes: nodes(3),
      indices: [{ name: 'unittest20160101_000000', shards: 9, replicas: 1, bytesPerShard: 10 * GB }],
    });
    c.putSettings({ persistent: { 'cluster.routing.allocation.enable': 'none' } });
    c.restartNode('node-3', 10_000);
    expect(c.nodeByName('node-3').alive).toBe(false);
    c.advance(15 * 60_000);
    // Back, but allocation is disabled: the cluster stays yellow and the node empty.
    expect(c.nodeByName('node-3').alive).toBe(true);
    expect(c.health().status).toBe('yellow');
    expect(c.shardsOnNode('node-3')).toHaveLength(0);
    c.putSettings({ persistent: { 'cluster.routing.allocation.enable': 'all' } });
    c.advance(10_000);
    expect(c.health().status).toBe('green');
    expect(c.shardsOnNode('node-3')).toHaveLength(6);
  });

  test('a node over the high watermark moves shards away until it is under it', () => {
    const c = cluster({
      nodes: [nodeSpec(1, 'primary', 100 * GB), nodeSpec(2, 'primary', 1000 * GB), nodeSpec(3, 'primary', 1000 * GB)],
      indices: [{ name: 'coverage20160101_000000', shards: 12, replicas: 0, bytesPerShard: 5 * GB }],
    });
    // 4 shards of 5 GB on a 100 GB disk is 20%; a 15% high watermark makes it too full.
    expect(c.shardsOnNode('node-1')).toHaveLength(4);
    c.putSettings({
      persistent: {
        'cluster.routing.allocation.disk.watermark.low': '10%',
        'cluster.routing.allocation.disk.watermark.high': '15%',
      },
    });
    advanceUntil(c, () => c.health().relocating_shards === 0, 10_000);
    expect(c.nodeBytes('node-1') / (100 * GB)).toBeLessThanOrEqual(0.15);
    // The low watermark keeps new shards away from a node above it.
    c.createIndex({ name: 'coverage20160102_000000', shards: 6, replicas: 0, bytesPerShard: 0 });
    expect(c.shardsOnNode('node-1').filter((s) => s.group.index.name === 'coverage20160102_000000')).toHaveLength(0);
  });
});
