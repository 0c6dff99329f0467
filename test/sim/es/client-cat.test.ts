import { errors, type Client } from '@elastic/elasticsearch';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import type { SimCluster } from '../../../src/sim/es/index.js';
import { cluster, GB, nodeSpec, serve } from './fixtures.js';

// Default columns of each _cat API in ES 8 (RestAllocationAction, RestShardsAction, RestNodesAction,
// RestCatRecoveryAction, RestIndicesAction, RestHealthAction and Elastic's cat documentation).
const ALLOCATION = [
  'shards',
  'shards.undesired',
  'write_load.forecast',
  'disk.indices.forecast',
  'disk.indices',
  'disk.used',
  'disk.avail',
  'disk.total',
  'disk.percent',
  'host',
  'ip',
  'node',
  'node.role',
];
const SHARDS = ['index', 'shard', 'prirep', 'state', 'docs', 'store', 'dataset', 'ip', 'node'];
const NODES = [
  'ip',
  'heap.percent',
  'ram.percent',
  'cpu',
  'load_1m',
  'load_5m',
  'load_15m',
  'node.role',
  'master',
  'name',
];
const RECOVERY = [
  'index',
  'shard',
  'time',
  'type',
  'stage',
  'source_host',
  'source_node',
  'target_host',
  'target_node',
  'repository',
  'snapshot',
  'files',
  'files_recovered',
  'files_percent',
  'files_total',
  'bytes',
  'bytes_recovered',
  'bytes_percent',
  'bytes_total',
  'translog_ops',
  'translog_ops_recovered',
  'translog_ops_percent',
];
const INDICES = [
  'health',
  'status',
  'index',
  'uuid',
  'pri',
  'rep',
  'docs.count',
  'docs.deleted',
  'store.size',
  'pri.store.size',
  'dataset.size',
];
const HEALTH = [
  'epoch',
  'timestamp',
  'cluster',
  'status',
  'node.total',
  'node.data',
  'shards',
  'pri',
  'relo',
  'init',
  'unassign',
  'unassign.pri',
  'pending_tasks',
  'max_task_wait_time',
  'active_shards_percent',
];

let c: SimCluster;
let client: Client;
let close: () => Promise<void>;

beforeAll(async () => {
  c = cluster({
    nodes: [nodeSpec(11, 'primary', 500 * GB), nodeSpec(12, 'secondary', 500 * GB), nodeSpec(39, 'spot', 500 * GB)],
    indices: [
      { name: 'unittest20160101_000000', shards: 6, replicas: 1, bytesPerShard: 2 * GB, aliases: ['unittest'] },
      { name: 'jobs20160101_000000', shards: 3, replicas: 1, bytesPerShard: GB, aliases: ['jobs'] },
    ],
  });
  ({ client, close } = await serve(c));
});
afterAll(async () => close());
beforeEach(async () => {
  await client.cluster.putSettings({ persistent: { 'cluster.routing.allocation.*': null } });
  for (const n of c.nodes()) c.startNode(n.name);
  c.advance(24 * 3_600_000);
});

const allStrings = (rows: object[]) =>
  rows.every((r) => Object.values(r).every((v) => v === null || typeof v === 'string'));

describe('the official client against the simulator: _cat APIs', () => {
  test('allocation: default columns, strings, byte units, column choice and sorting', async () => {
    const rows = await client.cat.allocation({ format: 'json', bytes: 'b' });
    expect(rows).toHaveLength(3);
    for (const r of rows) expect(Object.keys(r)).toEqual(ALLOCATION);
    expect(allStrings(rows)).toBe(true);
    const n39 = rows.find((r) => r.node === 'node-39');
    expect(n39).toMatchObject({
      ip: '172.31.0.39',
      host: '172.31.0.39',
      'disk.total': String(500 * GB),
      'node.role': 'cdfhilmrstw',
    });
    expect(Number(n39?.['disk.indices'])).toBe(c.nodeBytes('node-39'));
    expect(rows.reduce((sum, r) => sum + Number(r.shards), 0)).toBe(18);

    const picked = await client.cat.allocation({ format: 'json', h: 'n,s,dp', s: 'n:desc' });
    expect(picked.map((r) => Object.keys(r))).toEqual([
      ['n', 's', 'dp'],
      ['n', 's', 'dp'],
      ['n', 's', 'dp'],
    ]);
    expect(picked.map((r) => (r as Record<string, string>).n)).toEqual(['node-39', 'node-12', 'node-11']);

    const text = await client.cat.allocation({ v: true, h: 'shards,disk.indices,node', bytes: 'gb' });
    const lines = (text as unknown as string).trimEnd().split('\n');
    expect(lines[0]).toMatch(/^shards disk\.indices node$/);
    for (const line of lines.slice(1)) expect(line).toMatch(/^\s+\d+\s+\d+ node-\d+$/);
  });

  test('allocation lists UNASSIGNED shards and a node selection', async () => {
    c.stopNode('node-39');
    const rows = await client.cat.allocation({ format: 'json' });
    expect(rows.map((r) => r.node)).toEqual(['node-11', 'node-12', 'UNASSIGNED']);
    expect(rows[2]).toMatchObject({ shards: String(c.health().unassigned_shards), ip: null, 'disk.percent': null });
    const one = await client.cat.allocation({ node_id: 'node-12', format: 'json' });
    expect(one.map((r) => r.node)).toEqual(['node-12', 'UNASSIGNED']);
  });

  test('shards: default columns, per index or alias, and a relocation written as ES writes it', async () => {
    const rows = await client.cat.shards({ format: 'json' });
    expect(rows).toHaveLength(18);
    for (const r of rows) expect(Object.keys(r)).toEqual(SHARDS);
    expect(allStrings(rows)).toBe(true);
    expect(await client.cat.shards({ index: 'jobs', format: 'json' })).toHaveLength(6);

    await client.cluster.putSettings({ persistent: { 'cluster.routing.allocation.exclude._name': 'node-39' } });
    const text = (await client.cat.shards({ index: 'unittest' })) as unknown as string;
    const target = c.nodes().find((n) => text.includes(`node-39 -> ${n.ip} ${n.id} ${n.name}`));
    expect(target).toBeDefined();
    expect(text).toMatch(/^unittest20160101_000000 \d+ [pr] RELOCATING /m);
    const missing = await client.cat.shards({ index: 'nope' }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(missing).toBeInstanceOf(errors.ResponseError);
    expect((missing as errors.ResponseError).meta.statusCode).toBe(404);
  });

  test('recovery with active_only lists exactly the recoveries in flight', async () => {
    expect(await client.cat.recovery({ format: 'json', active_only: true })).toEqual([]);
    await client.cluster.putSettings({ persistent: { 'cluster.routing.allocation.exclude._ip': '172.31.0.39' } });
    c.advance(10_000);
    const rows = await client.cat.recovery({ format: 'json', active_only: true, bytes: 'b' });
    expect(rows.length).toBe(c.activeRecoveries().length);
    expect(rows.length).toBeGreaterThan(0);
    for (const r of rows) {
      expect(Object.keys(r)).toEqual(RECOVERY);
      expect(r).toMatchObject({ type: 'peer', stage: 'index', repository: 'n/a', snapshot: 'n/a' });
      expect(r.target_node).not.toBe('node-39');
      expect(Number(r.bytes_recovered)).toBeGreaterThan(0);
      expect(Number(r.bytes_recovered)).toBeLessThan(Number(r.bytes_total));
    }
    // Without active_only every copy's last recovery is listed as well.
    expect((await client.cat.recovery({ format: 'json' })).length).toBeGreaterThanOrEqual(18);
  });

  test('nodes, indices and health', async () => {
    const n = await client.cat.nodes({ format: 'json' });
    for (const r of n) expect(Object.keys(r)).toEqual(NODES);
    expect(n.filter((r) => r.master === '*')).toHaveLength(1);
    const ids = await client.cat.nodes({ format: 'json', h: 'id,name,ip', full_id: true });
    expect(ids.map((r) => r.id)).toEqual(c.nodes().map((x) => x.id));

    const idx = await client.cat.indices({ format: 'json', bytes: 'b', s: 'index' });
    for (const r of idx) expect(Object.keys(r)).toEqual(INDICES);
    expect(idx.map((r) => r.index)).toEqual(['jobs20160101_000000', 'unittest20160101_000000']);
    expect(idx[1]).toMatchObject({
      health: 'green',
      status: 'open',
      pri: '6',
      rep: '1',
      'store.size': String(24 * GB),
      'pri.store.size': String(12 * GB),
    });

    const h = await client.cat.health({ format: 'json' });
    expect(Object.keys(h[0] ?? {})).toEqual(HEALTH);
    expect(h[0]).toMatchObject({
      cluster: 'active-data',
      status: 'green',
      'node.total': '3',
      shards: '18',
      pri: '9',
      active_shards_percent: '100.0%',
    });
    const noTs = await client.cat.health({ format: 'json', ts: false });
    expect(Object.keys(noTs[0] ?? {})).toEqual(HEALTH.slice(2));
  });

  test('without format=json the client gets ES text tables', async () => {
    const text = (await client.cat.health({ v: true })) as unknown as string;
    const [header, row] = text.split('\n');
    expect(header?.split(/\s+/)).toEqual(HEALTH);
    // As in ES docs: "1475871424 16:17:04  elasticsearch green", the timestamp padded to its header.
    expect(row).toMatch(/^\d{10} \d\d:\d\d:\d\d {2}active-data green +3 +3 +18 +9 +0 +0 +0 +0 +0 +- +100.0%$/);
  });
});
