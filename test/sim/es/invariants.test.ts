import { describe, expect, test } from 'vitest';
import type { SimCluster } from '../../../src/sim/es/index.js';
import { explainAllocation } from '../../../src/sim/es/explain.js';
import { Rng } from '../../../src/sim/es/rng.js';
import { allCopies, cluster, GB, nodes } from './fixtures.js';

/**
 * What must hold after any sequence of operations. The health and per-node numbers the HTTP
 * layer serves come from incremental counters, so they are checked against a full recount.
 */
function checkInvariants(c: SimCluster): void {
  const where = new Map<string, Set<unknown>>();
  for (const n of c.nodes()) {
    const groups = new Set<unknown>();
    for (const copy of n.copies) {
      // Never two copies of one shard on a node, relocation targets included.
      expect(groups.has(copy.group), `${n.name} holds two copies of [${copy.group.index.name}][${copy.group.id}]`).toBe(
        false,
      );
      groups.add(copy.group);
    }
    where.set(n.id, groups);
    if (!n.alive) expect(n.copies.size).toBe(0);
  }
  let active = 0;
  let primaries = 0;
  let relocating = 0;
  let initializing = 0;
  let unassigned = 0;
  let red = false;
  let yellow = false;
  const routingCount = new Map<string, number>();
  const owning = new Map<string, number>();
  const own = (nodeId: string, index: string): void => {
    const key = `${nodeId}/${index}`;
    owning.set(key, (owning.get(key) ?? 0) + 1);
  };
  const settled = new Map<string, number>();
  for (const meta of c.state.indices.values()) {
    for (const g of meta.groups) {
      expect(g.copies.filter((s) => s.primary)).toHaveLength(1);
      for (const s of g.copies) {
        if (s.nodeId !== null) {
          expect(where.get(s.nodeId)?.has(g)).toBe(true);
          routingCount.set(s.nodeId, (routingCount.get(s.nodeId) ?? 0) + 1);
        }
        if (s.state === 'STARTED' || s.state === 'RELOCATING') {
          active++;
          if (s.primary) primaries++;
          settled.set(s.nodeId as string, (settled.get(s.nodeId as string) ?? 0) + g.size);
        }
        if (s.state === 'STARTED' || s.state === 'INITIALIZING') own(s.nodeId as string, meta.name);
        if (s.target) own(s.target.nodeId as string, meta.name);
        if (s.state === 'RELOCATING') {
          relocating++;
          expect(s.target?.nodeId).not.toBe(s.nodeId);
        }
        if (s.state === 'INITIALIZING') initializing++;
        if (s.state === 'UNASSIGNED') unassigned++;
        const inactive = s.state === 'INITIALIZING' || s.state === 'UNASSIGNED';
        if (inactive && s.primary && !(s.state === 'INITIALIZING' && s.recovery?.type === 'empty_store')) red = true;
        else if (inactive) yellow = true;
      }
    }
  }
  const h = c.health();
  expect(h).toMatchObject({
    active_shards: active,
    active_primary_shards: primaries,
    relocating_shards: relocating,
    initializing_shards: initializing,
    unassigned_shards: unassigned,
    status: red ? 'red' : yellow ? 'yellow' : 'green',
  });
  for (const n of c.nodes()) {
    expect(n.routingCount).toBe(routingCount.get(n.id) ?? 0);
    expect(n.settledBytes).toBe(settled.get(n.id) ?? 0);
    // shards_limit reads the per-index owning counts: they must match a recount.
    for (const [meta, count] of n.owningByIndex) expect(count).toBe(owning.get(`${n.id}/${meta.name}`));
    const recount = [...owning.entries()].filter(([k]) => k.startsWith(`${n.id}/`)).length;
    expect(n.owningByIndex.size).toBe(recount);
  }
}

function randomCluster(rng: Rng): SimCluster {
  const count = rng.int(3, 6);
  const indices = Array.from({ length: rng.int(1, 3) }, (_, i) => ({
    name: `t${i}20160101_000000`,
    shards: rng.int(1, 8),
    replicas: rng.int(0, 2),
    bytesPerShard: rng.int(1, 20) * GB,
  }));
  return cluster({ nodes: nodes(count, 200 * GB), indices, seed: rng.int(1, 1_000_000) });
}

function randomStep(c: SimCluster, rng: Rng): void {
  const names = c.nodes().map((n) => n.name);
  const pickNode = () => rng.pick(names);
  const ops: Array<() => void> = [
    () => c.putSettings({ persistent: { 'cluster.routing.allocation.exclude._name': pickNode() } }),
    () =>
      c.putSettings({
        transient: {
          'cluster.routing.allocation.exclude._ip':
            `172.31.0.${rng.int(1, names.length)},` + `172.31.0.${rng.int(1, names.length)}`,
        },
      }),
    () =>
      c.putSettings({
        persistent: { 'cluster.routing.allocation.exclude.*': null },
        transient: { 'cluster.routing.allocation.exclude.*': null },
      }),
    () =>
      c.putSettings({
        persistent: { 'cluster.routing.allocation.enable': rng.pick(['all', 'primaries', 'new_primaries', 'none']) },
      }),
    () => {
      const [low, high] = rng.pick([
        ['85%', '90%'],
        ['50%', '60%'],
        ['20%', '30%'],
      ]);
      c.putSettings({
        persistent: {
          'cluster.routing.allocation.disk.watermark.low': low,
          'cluster.routing.allocation.disk.watermark.high': high,
        },
      });
    },
    () => c.stopNode(pickNode()),
    () => c.startNode(pickNode()),
    () => c.restartNode(pickNode(), rng.int(0, 120_000)),
    () => c.advance(rng.int(0, 600_000)),
    () => c.advance(rng.int(0, 5_000)),
  ];
  rng.pick(ops)();
}

describe('allocation invariants', () => {
  test('random operations never put two copies of a shard on one node and keep every counter exact', () => {
    for (let seed = 1; seed <= 60; seed++) {
      const rng = new Rng(seed);
      const c = randomCluster(rng);
      checkInvariants(c);
      for (let step = 0; step < 40; step++) {
        randomStep(c, rng);
        checkInvariants(c);
      }
      // Whatever happened, lifting every restriction and starting every node heals the cluster.
      c.putSettings({
        persistent: { 'cluster.routing.allocation.*': null },
        transient: { 'cluster.routing.allocation.*': null },
      });
      for (const n of c.nodes()) c.startNode(n.name);
      c.advance(24 * 3_600_000);
      checkInvariants(c);
      const lostPrimaries = allCopies(c).filter((s) => s.primary && s.state === 'UNASSIGNED');
      // A primary is only lost for good if every copy of it sat on... no node may lose data here: nodes come back.
      expect(lostPrimaries).toHaveLength(0);
      expect(c.health().status).toBe('green');
    }
  });

  test('3 nodes, one stopped and one excluded: replicas stay unassigned rather than share a node', () => {
    const c = cluster({
      nodes: nodes(3),
      indices: [{ name: 'jobs20160101_000000', shards: 6, replicas: 1, bytesPerShard: GB }],
    });
    c.stopNode('node-3');
    c.putSettings({ persistent: { 'cluster.routing.allocation.exclude._name': 'node-2' } });
    c.advance(24 * 3_600_000);
    checkInvariants(c);
    const h = c.health();
    expect(h).toMatchObject({ status: 'yellow', active_primary_shards: 6, number_of_nodes: 2 });
    expect(h.unassigned_shards).toBeGreaterThan(0);
    // The unassigned replicas' only candidates are node-1 (holds the primary) and node-2 (excluded).
    const explained = explainAllocation(c, {}, false);
    expect(explained.note).toMatch(/^No shard was specified/);
    expect(explained).toMatchObject({ primary: false, current_state: 'unassigned', can_allocate: 'no' });
    const decisions = explained.node_allocation_decisions as Array<{
      node_name: string;
      deciders: Array<{ decider: string; explanation: string }>;
    }>;
    const byNode = Object.fromEntries(decisions.map((d) => [d.node_name, d.deciders.map((x) => x.decider)]));
    expect(byNode['node-1']).toContain('same_shard');
    expect(byNode['node-2']).toContain('filter');
  });
});
