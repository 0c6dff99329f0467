import type { Client } from '@elastic/elasticsearch';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { SimCluster } from '../../../src/sim/es/index.js';
import { cluster, esError, GB, nodes, serve } from './fixtures.js';

/** Closed indices, health by index and shard, `_cat/*?help`, defaults, and explain's refusals. */
let c: SimCluster;
let client: Client;
let url: string;
let close: () => Promise<void>;

beforeAll(async () => {
  c = cluster({
    nodes: nodes(3),
    indices: [
      { name: 'jobs', shards: 2, replicas: 1, bytesPerShard: GB },
      { name: 'perf', shards: 1, replicas: 1, bytesPerShard: GB },
    ],
  });
  const served = await serve(c);
  ({ client, close } = served);
  url = served.es.url;
});
afterAll(async () => close());

describe('closing and opening an index', () => {
  test('a closed index keeps its shards allocated, shows "close" and no stats; opening brings it back', async () => {
    expect(await client.indices.close({ index: 'perf' })).toEqual({
      acknowledged: true,
      shards_acknowledged: true,
      indices: { perf: { closed: true } },
    });
    const row = (
      await client.cat.indices({ index: 'perf', format: 'json', h: 'health,status,docs.count,store.size' })
    )[0];
    expect(row).toEqual({ health: 'green', status: 'close', 'docs.count': null, 'store.size': null });
    const shards = await client.cat.shards({ index: 'perf', format: 'json', h: 'state,docs,store,node' });
    expect(shards.map((s) => [s.state, s.docs, s.store])).toEqual([
      ['STARTED', null, null],
      ['STARTED', null, null],
    ]);
    expect(shards.every((s) => typeof s.node === 'string')).toBe(true);
    const settings = await client.indices.getSettings({ index: 'perf', flat_settings: true });
    expect(settings.perf?.settings?.['index.verified_before_close']).toBe('true');
    expect((await client.cluster.health()).status).toBe('green');
    const wildcard = await esError(client.indices.close({ index: '*' }));
    expect(wildcard.error.reason).toBe('Wildcard expressions or all indices are not allowed');
    expect(await client.indices.open({ index: 'perf' })).toEqual({ acknowledged: true, shards_acknowledged: true });
    expect((await client.cat.indices({ index: 'perf', format: 'json', h: 'status' }))[0]?.status).toBe('open');
  });
});

describe('cluster health by index and by shard', () => {
  test('level=indices and level=shards, for all or one index; an unknown level is refused', async () => {
    c.stopNode('node-3');
    try {
      const byIndex = await client.cluster.health({ level: 'indices' });
      expect(Object.keys(byIndex.indices ?? {}).sort()).toEqual(['jobs', 'perf']);
      const jobs = byIndex.indices?.jobs;
      expect(jobs).toMatchObject({ number_of_shards: 2, number_of_replicas: 1 });
      expect(jobs?.active_shards).toBe(4 - (jobs?.unassigned_shards ?? 0));
      expect(jobs).not.toHaveProperty('shards');
      const res = await fetch(`${url}/_cluster/health/perf?level=shards`);
      const body = (await res.json()) as { indices: Record<string, { shards: Record<string, unknown> }> };
      expect(Object.keys(body.indices)).toEqual(['perf']);
      expect(Object.keys(body.indices.perf?.shards?.['0'] as object)).toEqual([
        'status',
        'primary_active',
        'active_shards',
        'relocating_shards',
        'initializing_shards',
        'unassigned_shards',
        'unassigned_primary_shards',
      ]);
      expect(body.indices.perf?.shards?.['0']).toMatchObject({ primary_active: true });
      const bad = await fetch(`${url}/_cluster/health?level=node`);
      expect(bad.status).toBe(400);
    } finally {
      c.startNode('node-3');
      c.advance(10 * 60_000);
    }
  });
});

describe('_cat help, settings defaults, explain refusals', () => {
  test('_cat/health?help and _cat/shards?help list every column with its aliases and description', async () => {
    const health = await (await fetch(`${url}/_cat/health?help`)).text();
    expect(health.split('\n')[0]).toMatch(/^epoch +\| t,time +\| seconds since 1970-01-01 00:00:00$/);
    // The same columns, in the same order, as the table itself has with every column asked for.
    const header = (await (await fetch(`${url}/_cat/health?v&h=*`)).text()).split('\n')[0]?.split(/ +/);
    expect(
      health
        .trimEnd()
        .split('\n')
        .map((l) => l.split(' ')[0]),
    ).toEqual(header);
    const shards = await (await fetch(`${url}/_cat/shards?help`)).text();
    expect(shards).toMatch(/^index +\| i,idx +\| index name$/m);
  });

  test('include_defaults lists the allocation settings the gate reads, not the ones set explicitly', async () => {
    await client.cluster.putSettings({ persistent: { 'cluster.routing.allocation.same_shard.host': true } });
    const s = await client.cluster.getSettings({ include_defaults: true, flat_settings: true });
    expect(s.defaults).toMatchObject({ 'cluster.routing.allocation.total_shards_per_node': '-1' });
    expect(s.defaults).not.toHaveProperty(['cluster.routing.allocation.same_shard.host']);
    expect(s.persistent).toEqual({ 'cluster.routing.allocation.same_shard.host': 'true' });
    await client.cluster.putSettings({ persistent: { 'cluster.routing.allocation.same_shard.host': null } });
  });

  test('allocation explain refuses what ES refuses, with its words', async () => {
    expect(c.health().status).toBe('green');
    const empty = await esError(client.cluster.allocationExplain());
    expect(empty.error.reason).toMatch(/^No shard was specified in the request.*there are no unassigned shards/);
    const unknownField = await esError(
      client.transport.request({
        method: 'POST',
        path: '/_cluster/allocation/explain',
        body: { index: 'jobs', foo: 1 },
      }),
    );
    expect(unknownField).toEqual({
      status: 400,
      error: expect.objectContaining({
        type: 'x_content_parse_exception',
        reason: '[1:17] [cluster/allocation/explain] unknown field [foo]',
      }) as unknown,
    });
    const badShard = await esError(client.cluster.allocationExplain({ index: 'jobs', shard: 9, primary: true }));
    expect(badShard).toMatchObject({
      status: 404,
      error: { type: 'shard_not_found_exception', reason: 'no such shard' },
    });
    const noIndex = await esError(client.cluster.allocationExplain({ index: 'nope', shard: 0, primary: true }));
    expect(noIndex).toMatchObject({ status: 404, error: { type: 'index_not_found_exception' } });
    const partial = await esError(client.cluster.allocationExplain({ index: 'jobs' }));
    expect(partial.error.reason).toBe('Validation Failed: 1: shard must be specified;2: primary must be specified;');
  });
});
