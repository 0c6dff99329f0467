import { describe, expect, test } from 'vitest';
import type { SimCluster } from '../../../src/sim/es/index.js';
import { advanceUntil, allCopies, cluster, DEFAULT_RATE, GB, MB, nodes } from './fixtures.js';

/** 4 nodes, 12 primaries of 10 GB and no replicas: every node holds exactly 3. */
function fourNodesTwelveShards(): SimCluster {
  return cluster({
    nodes: nodes(4),
    indices: [{ name: 'perf20160101_000000', shards: 12, replicas: 0, bytesPerShard: 10 * GB }],
  });
}

function bytesOutside(c: SimCluster, name: string): number {
  return c
    .nodes()
    .filter((n) => n.name !== name)
    .reduce((sum, n) => sum + c.state.liveBytes(n), 0);
}

const exclude = (c: SimCluster, key: string, value: string | null, scope: 'persistent' | 'transient' = 'persistent') =>
  c.putSettings({ [scope]: { [`cluster.routing.allocation.exclude.${key}`]: value } });

describe('draining a node with cluster.routing.allocation.exclude', () => {
  test('moves bytes off the node at indices.recovery.max_bytes_per_sec and ends with no shards on it', () => {
    const c = fourNodesTwelveShards();
    expect(c.shardsOnNode('node-4')).toHaveLength(3);
    const before = bytesOutside(c, 'node-4');
    exclude(c, '_ip', '172.31.0.4');

    // The node sends at 40 MB/s in total (two recoveries share its outbound budget, then one has it all).
    for (const seconds of [1, 100, 500, 700]) {
      c.advance(seconds * 1000 - c.now);
      expect(bytesOutside(c, 'node-4') - before).toBeCloseTo(DEFAULT_RATE * seconds, -3);
      expect(c.health().status).toBe('green');
    }
    // 30 GB at 40 MB/s is 768 s: still one shard one tick before, none one tick after.
    c.advance(767_000 - c.now);
    expect(c.shardsOnNode('node-4')).toHaveLength(1);
    c.advance(2000);
    expect(c.shardsOnNode('node-4')).toHaveLength(0);
    expect(c.nodeBytes('node-4')).toBe(0);
    expect(bytesOutside(c, 'node-4') - before).toBe(30 * GB);
    expect(c.health()).toMatchObject({ status: 'green', relocating_shards: 0, active_shards: 12 });
    expect(allCopies(c).every((s) => s.state === 'STARTED' && s.nodeId !== c.nodeByName('node-4').id)).toBe(true);
  });

  test('a changed recovery rate applies to transfers already running', () => {
    const c = fourNodesTwelveShards();
    const before = bytesOutside(c, 'node-4');
    exclude(c, '_ip', '172.31.0.4');
    c.advance(10_000);
    c.putSettings({ persistent: { 'indices.recovery.max_bytes_per_sec': '100mb' } });
    c.advance(10_000);
    expect(bytesOutside(c, 'node-4') - before).toBeCloseTo(10 * DEFAULT_RATE + 10 * 100 * MB, -3);
  });

  test(
    'with replicas, copies land only on allowed nodes and never next ' + 'to their other copy; health stays green',
    () => {
      const c = cluster({
        nodes: nodes(5),
        indices: [{ name: 'unittest20160101_000000', shards: 20, replicas: 1, bytesPerShard: 2 * GB }],
      });
      exclude(c, '_name', 'node-2');
      advanceUntil(
        c,
        () => {
          expect(c.health().status).toBe('green');
          return c.shardsOnNode('node-2').length === 0 && c.health().relocating_shards === 0;
        },
        10_000,
      );
      const banned = c.nodeByName('node-2').id;
      for (const meta of c.state.indices.values()) {
        for (const g of meta.groups) {
          const where = g.copies.map((s) => s.nodeId);
          expect(new Set(where).size).toBe(2);
          expect(where).not.toContain(banned);
        }
      }
    },
  );

  test('allocation.enable=none lets running recoveries finish but starts no new move; all resumes', () => {
    const c = fourNodesTwelveShards();
    exclude(c, '_ip', '172.31.0.4');
    c.advance(100_000);
    c.putSettings({ persistent: { 'cluster.routing.allocation.enable': 'none' } });
    c.advance(3_600_000);
    expect(c.shardsOnNode('node-4')).toHaveLength(1);
    expect(c.activeRecoveries()).toHaveLength(0);
    const stuck = c.nodeBytes('node-4');
    c.advance(3_600_000);
    expect(c.nodeBytes('node-4')).toBe(stuck);
    c.putSettings({ persistent: { 'cluster.routing.allocation.enable': 'all' } });
    advanceUntil(c, () => c.shardsOnNode('node-4').length === 0, 10_000);
  });

  test('a comma list excludes two nodes at once', () => {
    const c = cluster({
      nodes: nodes(6),
      indices: [{ name: 'jobs20160101_000000', shards: 18, replicas: 1, bytesPerShard: GB }],
    });
    exclude(c, '_ip', '172.31.0.3,172.31.0.4');
    advanceUntil(c, () => c.shardsOnNode('node-3').length + c.shardsOnNode('node-4').length === 0, 10_000);
    expect(c.health()).toMatchObject({ status: 'green', active_shards: 36 });
  });

  test('wildcards and custom attributes work as ES filters do', () => {
    const c = cluster({
      nodes: nodes(12),
      indices: [{ name: 'jobs20160101_000000', shards: 24, replicas: 1, bytesPerShard: GB }],
    });
    exclude(c, '_ip', '172.31.0.1*');
    advanceUntil(c, () => c.health().relocating_shards === 0, 10_000);
    for (const name of ['node-1', 'node-10', 'node-11', 'node-12']) expect(c.shardsOnNode(name)).toHaveLength(0);
    expect(c.shardsOnNode('node-2').length).toBeGreaterThan(0);

    exclude(c, '_ip', null);
    exclude(c, 'zone', 'spot');
    advanceUntil(c, () => c.health().relocating_shards === 0 && c.health().initializing_shards === 0, 10_000, 100_000);
    for (const n of c.nodes()) if (n.attributes.zone === 'spot') expect(c.shardsOnNode(n.name)).toHaveLength(0);
  });

  test('a transient setting overrides the persistent one in effect', () => {
    const c = fourNodesTwelveShards();
    c.putSettings({
      persistent: { 'cluster.routing.allocation.enable': 'all' },
      transient: { 'cluster.routing.allocation.enable': 'none' },
    });
    exclude(c, '_ip', '172.31.0.4');
    c.advance(3_600_000);
    expect(c.shardsOnNode('node-4')).toHaveLength(3);
    expect(c.allocationConfig().enable).toBe('none');
    c.putSettings({ transient: { 'cluster.routing.allocation.enable': null } });
    advanceUntil(c, () => c.shardsOnNode('node-4').length === 0, 10_000);

    // And a transient exclude of "" (the old helper script's leftover) lifts a persistent one.
    exclude(c, '_ip', '172.31.0.1');
    exclude(c, '_ip', '', 'transient');
    c.advance(3_600_000);
    expect(c.shardsOnNode('node-1').length).toBeGreaterThan(0);
  });

  test('allocation.enable=primaries moves primaries only', () => {
    const c = cluster({
      nodes: nodes(4),
      indices: [{ name: 'perf20160101_000000', shards: 8, replicas: 1, bytesPerShard: GB }],
    });
    c.putSettings({ persistent: { 'cluster.routing.allocation.enable': 'primaries' } });
    exclude(c, '_ip', '172.31.0.4');
    c.advance(3_600_000);
    const left = c.shardsOnNode('node-4');
    expect(left.length).toBeGreaterThan(0);
    expect(left.every((s) => !s.primary)).toBe(true);
  });

  test('node_concurrent_recoveries bounds recoveries per node; rebalance.enable=none does not stop a drain', () => {
    const c = cluster({
      nodes: nodes(6),
      indices: [{ name: 'coverage20160101_000000', shards: 30, replicas: 1, bytesPerShard: 5 * GB }],
    });
    c.putSettings({
      persistent: {
        'cluster.routing.allocation.node_concurrent_recoveries': 1,
        'cluster.routing.rebalance.enable': 'none',
      },
    });
    exclude(c, '_ip', '172.31.0.6');
    let peak = 0;
    advanceUntil(
      c,
      () => {
        for (const n of c.nodes()) {
          expect(n.incoming.size).toBeLessThanOrEqual(1);
          expect(n.outgoing.size).toBeLessThanOrEqual(1);
        }
        peak = Math.max(peak, c.activeRecoveries().length);
        return c.shardsOnNode('node-6').length === 0;
      },
      5_000,
    );
    expect(peak).toBeGreaterThan(1);
  });

  test('after the exclusion is lifted, rebalancing brings shards back to the empty node', () => {
    const c = fourNodesTwelveShards();
    exclude(c, '_ip', '172.31.0.4');
    advanceUntil(c, () => c.shardsOnNode('node-4').length === 0, 10_000);
    exclude(c, '_ip', '');
    advanceUntil(c, () => c.health().relocating_shards === 0 && c.shardsOnNode('node-4').length >= 2, 10_000);
    const counts = c.nodes().map((n) => n.routingCount);
    expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(1);
  });
});
