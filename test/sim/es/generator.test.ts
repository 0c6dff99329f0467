import { describe, expect, test } from 'vitest';
import { generateCluster, type SimCluster } from '../../../src/sim/es/index.js';
import { allCopies, serve, TB } from './fixtures.js';

/** Everything that defines a generated cluster, in a comparable form. */
function fingerprint(c: SimCluster) {
  return {
    nodes: c.nodes().map((n) => [n.name, n.ip, n.attributes.zone, n.diskTotal, n.id]),
    indices: [...c.state.indices.values()].map((m) => [
      m.name,
      m.shards,
      m.replicas,
      [...m.aliases],
      m.groups.map((g) => g.size),
    ]),
    placement: allCopies(c).map((s) => [s.group.index.name, s.group.id, s.primary, c.state.node(s.nodeId).name]),
  };
}

describe('generateCluster', () => {
  test('is deterministic for a seed and differs between seeds', () => {
    const opts = {
      nodes: 12,
      shards: 2_400,
      totalBytes: 6 * TB,
      zones: { primary: 0.34, secondary: 0.33, spot: 0.33 },
    };
    const a = fingerprint(generateCluster({ seed: 7, ...opts }));
    expect(fingerprint(generateCluster({ seed: 7, ...opts }))).toEqual(a);
    expect(fingerprint(generateCluster({ seed: 8, ...opts }))).not.toEqual(a);
  });

  test('an ActiveData-like, green, balanced cluster that stays put when left alone', () => {
    const c = generateCluster({ seed: 2016, nodes: 12, shards: 2_401, totalBytes: 6 * TB });
    expect(c.nodes().map((n) => n.name)).toEqual(Array.from({ length: 12 }, (_, i) => `node-${i + 1}`));
    expect(c.nodes().map((n) => n.ip)).toEqual(Array.from({ length: 12 }, (_, i) => `172.31.0.${i + 1}`));
    const zones = c.nodes().map((n) => n.attributes.zone);
    expect(zones.filter((z) => z === 'spot')).toHaveLength(6);
    expect(new Set(zones)).toEqual(new Set(['primary', 'secondary', 'spot']));

    const metas = [...c.state.indices.values()];
    expect(metas.reduce((sum, m) => sum + m.shards * (m.replicas + 1), 0)).toBe(2_401);
    for (const m of metas)
      expect(m.name).toMatch(/^(unittest|jobs|perf|coverage|treeherder|task|repo|fx-test|saved_queries)\d{8}_\d{6}$/);
    expect(new Set(metas.map((m) => m.shards))).toContain(300);
    // The newest instance of each table carries the table's name as alias; older ones have none.
    for (const m of metas) {
      const table = m.name.replace(/\d{8}_\d{6}$/, '');
      const newest = metas
        .filter((x) => x.name.startsWith(table) && /^\d/.test(x.name.slice(table.length)))
        .map((x) => x.name)
        .sort()
        .pop();
      expect([...m.aliases]).toEqual(m.name === newest ? [table] : []);
    }
    const bytes = allCopies(c).reduce((sum, s) => sum + s.group.size, 0);
    expect(bytes).toBeLessThanOrEqual(6 * TB);
    expect(bytes).toBeGreaterThan(6 * TB - 2_401);

    expect(c.health()).toMatchObject({
      status: 'green',
      active_shards: 2_401,
      relocating_shards: 0,
      initializing_shards: 0,
    });
    const counts = c.nodes().map((n) => n.routingCount);
    expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(2);
    for (const n of c.nodes()) expect(c.nodeBytes(n.name) / n.diskTotal).toBeLessThan(0.85);
    c.advance(3_600_000);
    expect(c.health()).toMatchObject({ status: 'green', relocating_shards: 0 });
  });

  test('100,000 shards on 100 nodes: builds, and the cheap progress endpoints answer in shape', async () => {
    const c = generateCluster({ seed: 1, nodes: 100, shards: 100_000, totalBytes: 200 * TB });
    expect(c.health()).toMatchObject({ status: 'green', number_of_nodes: 100, active_shards: 100_000 });
    const { client, close } = await serve(c);
    try {
      const rows = await client.cat.allocation({ format: 'json', bytes: 'b' });
      expect(rows).toHaveLength(100);
      expect(rows.reduce((sum, r) => sum + Number(r.shards), 0)).toBe(100_000);
      await client.cluster.putSettings({ persistent: { 'cluster.routing.allocation.exclude._ip': '172.31.0.39' } });
      c.advance(1000);
      const recoveries = await client.cat.recovery({ format: 'json', active_only: true });
      expect(recoveries.length).toBe(c.activeRecoveries().length);
      expect(recoveries.length).toBeGreaterThan(0);
      const health = await client.cluster.health();
      expect(health).toMatchObject({ status: 'green', relocating_shards: recoveries.length });
      const node39 = (await client.cat.allocation({ node_id: 'node-39', format: 'json' }))[0];
      expect(Number(node39?.['shards.undesired'])).toBeGreaterThan(0);
    } finally {
      await close();
    }
  });
});
