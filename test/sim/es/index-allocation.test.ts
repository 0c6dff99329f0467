import type { Client } from '@elastic/elasticsearch';
import { afterEach, describe, expect, test } from 'vitest';
import type { SimCluster, SimNodeSpec } from '../../../src/sim/es/index.js';
import { cluster, esError, GB, nodeSpec, serve } from './fixtures.js';

/**
 * The allocation rules an index or the cluster can put on where copies live, set and read back
 * through the official client: index-level filters, total_shards_per_node, same_shard.host and
 * forced awareness, each with ES's decider texts in the allocation explanation.
 */
let close: (() => Promise<void>) | null = null;
afterEach(async () => {
  await close?.();
  close = null;
});

async function start(nodeSpecs: SimNodeSpec[], shards = 2, replicas = 1): Promise<{ c: SimCluster; client: Client }> {
  const c = cluster({ nodes: nodeSpecs, indices: [{ name: 'jobs', shards, replicas, bytesPerShard: GB }] });
  const served = await serve(c);
  close = served.close;
  return { c, client: served.client };
}

function nodesOf(c: SimCluster, index: string): string[] {
  const meta = c.state.indices.get(index);
  return (meta?.groups ?? []).flatMap((g) => g.copies.map((x) => (x.nodeId ? c.state.node(x.nodeId).name : '-')));
}

interface Explained {
  can_allocate?: string;
  can_remain_on_current_node?: string;
  can_remain_decisions?: Array<{ decider: string; explanation: string }>;
  node_allocation_decisions?: Array<{ node_name: string; deciders?: Array<{ decider: string; explanation: string }> }>;
}

function deciderTexts(ex: Explained, decider: string): string[] {
  return (ex.node_allocation_decisions ?? []).flatMap((n) =>
    (n.deciders ?? []).filter((d) => d.decider === decider).map((d) => `${n.node_name}: ${d.explanation}`),
  );
}

describe('index-level allocation filters', () => {
  test('include._name moves every copy onto the named nodes; GET _settings: nested, flat, with defaults', async () => {
    const { c, client } = await start([1, 2, 3, 4].map((n) => nodeSpec(n)));
    expect(
      await client.indices.putSettings({
        index: 'jobs',
        settings: { 'index.routing.allocation.include._name': 'node-1,node-2' },
      }),
    ).toEqual({
      acknowledged: true,
    });
    c.advance(10 * 60_000);
    expect(new Set(nodesOf(c, 'jobs'))).toEqual(new Set(['node-1', 'node-2']));

    const nested = await client.indices.getSettings({ index: 'jobs' });
    expect(nested.jobs?.settings?.index?.routing?.allocation?.include).toEqual({
      _name: 'node-1,node-2',
      _tier_preference: 'data_content',
    });
    expect(nested.jobs?.settings?.index?.number_of_replicas).toBe('1');
    const flat = await client.indices.getSettings({ index: '_all', flat_settings: true, include_defaults: true });
    expect(flat.jobs?.settings).toMatchObject({ 'index.routing.allocation.include._name': 'node-1,node-2' });
    expect(flat.jobs?.defaults).toMatchObject({
      'index.routing.allocation.total_shards_per_node': '-1',
      'index.blocks.read_only_allow_delete': 'false',
    });
    const named = await client.indices.getSettings({ index: 'jobs', name: 'index.routing.*', flat_settings: true });
    expect(Object.keys(named.jobs?.settings ?? {}).sort()).toEqual([
      'index.routing.allocation.include._name',
      'index.routing.allocation.include._tier_preference',
    ]);

    const ex = (await client.cluster.allocationExplain({ index: 'jobs', shard: 0, primary: true })) as Explained;
    expect(deciderTexts(ex, 'filter')).toContain(
      'node-3: node does not match index setting [index.routing.allocation.include] filters [_name:"node-1 OR node-2"]',
    );
    // A null removes the filter: the balancer spreads the copies again.
    await client.indices.putSettings({ index: 'jobs', settings: { 'index.routing.allocation.include._name': null } });
    c.advance(10 * 60_000);
    expect(new Set(nodesOf(c, 'jobs')).size).toBe(4);
  });

  test('require on an attribute, then exclude._ip: copies leave nodes that do not qualify, or say why', async () => {
    const { c, client } = await start([
      nodeSpec(1, 'primary'),
      nodeSpec(2, 'primary'),
      nodeSpec(3, 'spot'),
      nodeSpec(4, 'spot'),
    ]);
    await client.indices.putSettings({
      index: 'jobs',
      // The client types settings loosely nested; ES accepts the nested form.
      settings: { index: { routing: { allocation: { require: { zone: 'primary' } } } } } as Record<string, unknown>,
    });
    c.advance(10 * 60_000);
    expect(new Set(nodesOf(c, 'jobs'))).toEqual(new Set(['node-1', 'node-2']));
    // Excluding node-2 too leaves one node for two copies of each shard: the replicas cannot remain anywhere else.
    await client.indices.putSettings({
      index: 'jobs',
      settings: { 'index.routing.allocation.exclude._ip': '172.31.0.2' },
    });
    c.advance(10 * 60_000);
    const explained = (await client.cluster.allocationExplain({
      index: 'jobs',
      shard: 0,
      primary: false,
    })) as Explained;
    expect(explained.can_remain_on_current_node).toBe('no');
    expect(explained.can_remain_decisions?.[0]?.explanation).toBe(
      'node matches index setting [index.routing.allocation.exclude] filters [_ip:"172.31.0.2"]',
    );
    expect(deciderTexts(explained, 'filter')).toContain(
      'node-3: node does not match index setting [index.routing.allocation.require] filters [zone:"primary"]',
    );
  });

  test('bad index settings are refused with ES words, and nothing is applied', async () => {
    const { client } = await start([1, 2].map((n) => nodeSpec(n)));
    const badIp = await esError(
      client.indices.putSettings({ index: 'jobs', settings: { 'index.routing.allocation.require._ip': 'node-1' } }),
    );
    expect(badIp).toEqual({
      status: 400,
      error: expect.objectContaining({
        type: 'illegal_argument_exception',
        reason: 'invalid IP address [node-1] for [index.routing.allocation.require._ip]',
      }) as unknown,
    });
    const unknown = await esError(
      client.indices.putSettings({ index: 'jobs', settings: { 'index.routing.allocation.requir._ip': '1.2.3.4' } }),
    );
    expect(unknown.error.reason).toBe(
      'unknown setting [index.routing.allocation.requir._ip] please check that any required plugins are installed, ' +
        'or check the breaking changes documentation for removed settings',
    );
    const final = await esError(client.indices.putSettings({ index: 'jobs', settings: { number_of_shards: 3 } }));
    expect(final.error.reason).toBe('final index setting [index.number_of_shards], not updateable');
    const limit = await esError(
      client.indices.putSettings({ index: 'jobs', settings: { 'index.routing.allocation.total_shards_per_node': -2 } }),
    );
    expect(limit.error.reason).toBe(
      'Failed to parse value [-2] for setting [index.routing.allocation.total_shards_per_node] must be >= -1',
    );
    const missing = await esError(client.indices.putSettings({ index: 'nope', settings: { number_of_replicas: 0 } }));
    expect(missing).toMatchObject({ status: 404, error: { type: 'index_not_found_exception' } });
    const flat = await client.indices.getSettings({ index: 'jobs', flat_settings: true });
    expect(Object.keys(flat.jobs?.settings ?? {}).filter((k) => k.includes('require') || k.includes('total'))).toEqual(
      [],
    );
  });

  test('number_of_replicas: 0 and back: copies are dropped and re-created as REPLICA_ADDED', async () => {
    const { c, client } = await start([1, 2, 3].map((n) => nodeSpec(n)));
    await client.indices.putSettings({ index: 'jobs', settings: { number_of_replicas: 0 } });
    expect(c.health()).toMatchObject({ status: 'green', active_shards: 2 });
    await client.indices.putSettings({ index: 'jobs', settings: { index: { number_of_replicas: 2 } } });
    expect(c.health()).toMatchObject({ status: 'yellow', unassigned_shards: 0, initializing_shards: 4 });
    const rows = await client.cat.shards({ index: 'jobs', h: 'state,unassigned.reason', format: 'json' });
    expect(rows.every((r) => r.state !== 'UNASSIGNED')).toBe(true);
    c.advance(10 * 60_000);
    expect(c.health()).toMatchObject({ status: 'green', active_shards: 6 });
  });
});

describe('total_shards_per_node (shards_limit)', () => {
  test('index limit 1: one copy per node; a copy whose node left has nowhere to go and says why', async () => {
    const { c, client } = await start([1, 2, 3, 4].map((n) => nodeSpec(n)));
    await client.indices.putSettings({
      index: 'jobs',
      settings: { 'index.routing.allocation.total_shards_per_node': 1 },
    });
    c.advance(10 * 60_000);
    expect(nodesOf(c, 'jobs').sort()).toEqual(['node-1', 'node-2', 'node-3', 'node-4']);
    c.stopNode('node-4');
    c.advance(5 * 60_000);
    expect(c.health()).toMatchObject({ status: 'yellow', unassigned_shards: 1 });
    const ex = (await client.cluster.allocationExplain()) as Explained;
    expect(ex.can_allocate).toBe('no');
    expect(deciderTexts(ex, 'shards_limit')).toContain(
      'node-1: too many shards [1] allocated to this node for index [jobs], index setting ' +
        '[index.routing.allocation.total_shards_per_node=1]',
    );
  });

  test('cluster limit: a node over it sheds copies, and no node takes more than the limit', async () => {
    const { c, client } = await start(
      [1, 2, 3].map((n) => nodeSpec(n)),
      3,
      1,
    );
    await client.cluster.putSettings({ persistent: { 'cluster.routing.allocation.total_shards_per_node': 2 } });
    c.stopNode('node-3');
    c.advance(5 * 60_000);
    expect(c.nodes().map((n) => n.routingCount)).toEqual([2, 2, 0]);
    const ex = (await client.cluster.allocationExplain()) as Explained;
    expect(deciderTexts(ex, 'shards_limit')).toContain(
      'node-1: too many shards [2] allocated to this node, ' +
        'cluster setting [cluster.routing.allocation.total_shards_per_node=2]',
    );
    c.startNode('node-3');
    c.advance(5 * 60_000);
    expect(c.health().status).toBe('green');
    expect(c.nodes().every((n) => n.routingCount <= 2)).toBe(true);
  });
});

describe('same_shard.host and forced awareness', () => {
  test('same_shard.host: two nodes on one host never hold copies of one shard', async () => {
    const twin = (n: number, ip: string): SimNodeSpec => ({ ...nodeSpec(n), ip });
    const { c, client } = await start([twin(1, '10.0.0.1'), twin(2, '10.0.0.1'), twin(3, '10.0.0.2')], 1, 0);
    await client.cluster.putSettings({ persistent: { 'cluster.routing.allocation.same_shard.host': true } });
    await client.indices.create({ index: 'perf', settings: { number_of_shards: 1, number_of_replicas: 2 } });
    c.advance(5 * 60_000);
    const hosts = c.state.indices
      .get('perf')
      ?.groups[0]?.copies.map((x) => (x.nodeId ? c.state.node(x.nodeId).ip : null));
    expect(hosts?.filter((h) => h !== null).sort()).toEqual(['10.0.0.1', '10.0.0.2']);
    const ex = (await client.cluster.allocationExplain({ index: 'perf', shard: 0, primary: false })) as Explained;
    expect(ex.can_allocate).toBe('no');
    const texts = deciderTexts(ex, 'same_shard').join('\n');
    expect(texts).toMatch(
      /cannot allocate to node \[[\w-]+\] because a copy of this shard is already allocated to node \[[\w-]+\] with the same host address \[10\.0\.0\.1\] and \[cluster\.routing\.allocation\.same_shard\.host\] is \[true\] which forbids more than one node on each host from holding a copy of this shard/,
    );
  });

  test('forced awareness: a missing zone value holds back the copy that would double up', async () => {
    const zoned = [nodeSpec(1, 'primary'), nodeSpec(2, 'primary'), nodeSpec(3, 'secondary'), nodeSpec(4, 'secondary')];
    const { c, client } = await start(zoned, 1, 0);
    await client.cluster.putSettings({ persistent: { 'cluster.routing.allocation.awareness.attributes': 'zone' } });
    await client.indices.create({ index: 'perf', settings: { number_of_shards: 1, number_of_replicas: 2 } });
    c.advance(5 * 60_000);
    expect(c.health().status).toBe('green'); // plain awareness: 3 copies over 2 zones, at most 2 per zone
    await client.indices.delete({ index: 'perf' });
    await client.cluster.putSettings({
      persistent: { 'cluster.routing.allocation.awareness.force.zone.values': 'primary,secondary,spot' },
    });
    await client.indices.create({ index: 'perf', settings: { number_of_shards: 1, number_of_replicas: 2 } });
    c.advance(5 * 60_000);
    expect(c.health()).toMatchObject({ status: 'yellow', unassigned_shards: 1 });
    const ex = (await client.cluster.allocationExplain({ index: 'perf', shard: 0, primary: false })) as Explained;
    expect(deciderTexts(ex, 'awareness')[0]).toMatch(
      /: there are \[3\] copies of this shard and \[3\] values for attribute \[zone\] \(\[primary, secondary\] from nodes in the cluster and \[primary, secondary, spot\] from forced awareness\) so there may be at most \[1\] copies of this shard allocated to nodes with each value, but \(including this copy\) there would be \[2\] copies allocated to nodes with \[node\.attr\.zone: (primary|secondary)\]$/,
    );
  });
});
