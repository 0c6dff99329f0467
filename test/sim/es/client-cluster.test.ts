import { errors, type Client } from '@elastic/elasticsearch';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import type { EsSimulator, SimCluster } from '../../../src/sim/es/index.js';
import { cluster, GB, nodeSpec, serve } from './fixtures.js';

// Field lists from Elastic's documentation and rest-api-spec for ES 8.
const INFO_KEYS = ['name', 'cluster_name', 'cluster_uuid', 'version', 'tagline'];
const VERSION_KEYS = [
  'number',
  'build_flavor',
  'build_type',
  'build_hash',
  'build_date',
  'build_snapshot',
  'lucene_version',
  'minimum_wire_compatibility_version',
  'minimum_index_compatibility_version',
];
const HEALTH_KEYS = [
  'cluster_name',
  'status',
  'timed_out',
  'number_of_nodes',
  'number_of_data_nodes',
  'active_primary_shards',
  'active_shards',
  'relocating_shards',
  'initializing_shards',
  'unassigned_shards',
  'unassigned_primary_shards',
  'delayed_unassigned_shards',
  'number_of_pending_tasks',
  'number_of_in_flight_fetch',
  'task_max_waiting_in_queue_millis',
  'active_shards_percent_as_number',
];
const MOVE_EXPLAIN_KEYS = [
  'index',
  'shard',
  'primary',
  'current_state',
  'current_node',
  'can_remain_on_current_node',
  'can_remain_decisions',
  'can_move_to_other_node',
  'move_explanation',
  'node_allocation_decisions',
];
const UNASSIGNED_EXPLAIN_KEYS = [
  'index',
  'shard',
  'primary',
  'current_state',
  'unassigned_info',
  'can_allocate',
  'allocate_explanation',
  'node_allocation_decisions',
];
const NODE_DECISION_KEYS = [
  'node_id',
  'node_name',
  'transport_address',
  'node_attributes',
  'roles',
  'node_decision',
  'weight_ranking',
  'deciders',
];

let c: SimCluster;
let es: EsSimulator;
let client: Client;
let close: () => Promise<void>;

beforeAll(async () => {
  c = cluster({
    nodes: [nodeSpec(11, 'primary'), nodeSpec(12, 'secondary'), nodeSpec(39, 'spot'), nodeSpec(40, 'spot')],
    indices: [
      { name: 'unittest20160101_000000', shards: 4, replicas: 1, bytesPerShard: 2 * GB, aliases: ['unittest'] },
    ],
  });
  ({ es, client, close } = await serve(c));
});
afterAll(async () => close());
beforeEach(async () => {
  await client.cluster.putSettings({
    persistent: { 'cluster.routing.allocation.*': null, 'indices.*': null },
    transient: { 'cluster.*': null },
  });
  await client.transport.request({ method: 'PUT', path: '/_sim/faults', body: { mode: 'none' } });
  for (const n of c.nodes()) c.startNode(n.name);
  c.advance(24 * 3_600_000);
});

async function esError(p: Promise<unknown>): Promise<errors.ResponseError> {
  const e = await p.then(
    () => null,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(errors.ResponseError);
  return e as errors.ResponseError;
}

describe('the official client against the simulator: cluster APIs', () => {
  test('info and ping', async () => {
    const info = await client.info();
    expect(Object.keys(info)).toEqual(INFO_KEYS);
    expect(Object.keys(info.version)).toEqual(VERSION_KEYS);
    expect(info).toMatchObject({ cluster_name: 'active-data', tagline: 'You Know, for Search' });
    expect(info.version.number).toMatch(/^8\./);
    expect(await client.ping()).toBe(true);
  });

  test('health: fields, per index, and a wait that runs out answers 408 timed_out', async () => {
    const h = await client.cluster.health();
    expect(Object.keys(h).sort()).toEqual([...HEALTH_KEYS].sort());
    expect(h).toMatchObject({
      status: 'green',
      number_of_nodes: 4,
      active_primary_shards: 4,
      active_shards: 8,
      active_shards_percent_as_number: 100,
    });
    expect(await client.cluster.health({ index: 'unittest' })).toMatchObject({ status: 'green', active_shards: 8 });
    c.stopNode('node-39');
    const waited = await esError(client.cluster.health({ wait_for_status: 'green', timeout: '200ms' }));
    expect(waited.meta.statusCode).toBe(408);
    expect(waited.meta.body).toMatchObject({ status: 'yellow', timed_out: true });
    const missing = await client.cluster.health({ index: 'nope', timeout: '0s' }, { ignore: [408] });
    expect(missing).toMatchObject({ status: 'red', timed_out: true });
  });

  test('settings: flat and nested in, nested or flat out, null removes, values become strings', async () => {
    const put = await client.cluster.putSettings({
      persistent: { 'cluster.routing.allocation.exclude._ip': '172.31.0.39' },
    });
    expect(put).toEqual({
      acknowledged: true,
      persistent: { cluster: { routing: { allocation: { exclude: { _ip: '172.31.0.39' } } } } },
      transient: {},
    });
    await client.cluster.putSettings({
      persistent: { cluster: { routing: { allocation: { node_concurrent_recoveries: 1 } } } },
    });
    const flat = await client.cluster.getSettings({ flat_settings: true });
    expect(flat).toEqual({
      persistent: {
        'cluster.routing.allocation.exclude._ip': '172.31.0.39',
        'cluster.routing.allocation.node_concurrent_recoveries': '1',
      },
      transient: {},
    });
    await client.cluster.putSettings({ persistent: { 'cluster.routing.allocation.exclude._ip': null } });
    expect((await client.cluster.getSettings({ flat_settings: true })).persistent).toEqual({
      'cluster.routing.allocation.node_concurrent_recoveries': '1',
    });
    const withDefaults = await client.cluster.getSettings({ flat_settings: true, include_defaults: true });
    expect(withDefaults.defaults).toMatchObject({
      'cluster.routing.allocation.enable': 'all',
      'indices.recovery.max_bytes_per_sec': '40mb',
    });
  });

  test('transient settings override persistent ones, and ES warns that transient settings are deprecated', async () => {
    const res = await client.cluster.putSettings(
      {
        persistent: { 'cluster.routing.allocation.enable': 'all' },
        transient: { 'cluster.routing.allocation.enable': 'none' },
      },
      { meta: true },
    );
    expect(res.warnings?.[0]).toContain('[transient settings removal]');
    expect(c.allocationConfig().enable).toBe('none');
    await client.cluster.putSettings({ persistent: { 'cluster.routing.allocation.exclude._ip': '172.31.0.39' } });
    c.advance(3_600_000);
    expect(c.shardsOnNode('node-39').length).toBeGreaterThan(0);
  });

  test('bad settings are refused with ES errors', async () => {
    const enable = await esError(
      client.cluster.putSettings({ persistent: { 'cluster.routing.allocation.enable': 'sometimes' } }),
    );
    expect(enable.meta.statusCode).toBe(400);
    expect(enable.meta.body).toEqual({
      error: {
        root_cause: [{ type: 'illegal_argument_exception', reason: 'Illegal allocation.enable value [SOMETIMES]' }],
        type: 'illegal_argument_exception',
        reason: 'Illegal allocation.enable value [SOMETIMES]',
      },
      status: 400,
    });
    const unknown = await esError(
      client.cluster.putSettings({ persistent: { 'cluster.routing.allocation.exclud._ip': '1.2.3.4' } }),
    );
    expect((unknown.meta.body as { error: { reason: string } }).error.reason).toBe(
      'persistent setting [cluster.routing.allocation.exclud._ip], not recognized',
    );
    const ip = await esError(
      client.cluster.putSettings({ transient: { 'cluster.routing.allocation.exclude._ip': 'node-39' } }),
    );
    expect((ip.meta.body as { error: { reason: string } }).error.reason).toBe(
      'invalid IP address [node-39] for [cluster.routing.allocation.exclude._ip]',
    );
    const nothing = await esError(client.cluster.putSettings({ persistent: {} }));
    expect((nothing.meta.body as { error: { type: string; reason: string } }).error).toMatchObject({
      type: 'action_request_validation_exception',
      reason: 'Validation Failed: 1: no settings to update;',
    });
    expect((await client.cluster.getSettings()).transient).toEqual({});
  });

  test('nodes info: attributes, and node selection by attribute', async () => {
    const all = await client.nodes.info();
    expect(all._nodes).toEqual({ total: 4, successful: 4, failed: 0 });
    const one = Object.values(all.nodes).find((n) => n.name === 'node-39');
    expect(one).toMatchObject({
      ip: '172.31.0.39',
      host: '172.31.0.39',
      transport_address: '172.31.0.39:9300',
      attributes: { zone: 'spot' },
    });
    expect(one?.roles).toContain('data');
    const spot = await client.nodes.info({ node_id: 'zone:spot' });
    expect(
      Object.values(spot.nodes)
        .map((n) => n.name)
        .sort(),
    ).toEqual(['node-39', 'node-40']);
    const settings = await client.nodes.info({ node_id: 'node-11', metric: 'settings' });
    expect(Object.values(settings.nodes)[0]?.settings).toMatchObject({ node: { attr: { zone: 'primary' } } });
  });

  test('allocation explain: a shard that may not remain, the enable decider, and an unassigned replica', async () => {
    await client.cluster.putSettings({
      persistent: {
        'cluster.routing.allocation.exclude._ip': '172.31.0.39',
        'cluster.routing.allocation.enable': 'none',
      },
    });
    const onNode = c.shardsOnNode('node-39')[0];
    if (!onNode) throw new Error('node-39 holds no shard');
    const move = await client.cluster.allocationExplain({
      index: onNode.group.index.name,
      shard: onNode.group.id,
      primary: onNode.primary,
    });
    expect(Object.keys(move)).toEqual(MOVE_EXPLAIN_KEYS);
    expect(move).toMatchObject({
      current_state: 'started',
      current_node: { name: 'node-39', attributes: { zone: 'spot' } },
      can_remain_on_current_node: 'no',
      can_move_to_other_node: 'no',
    });
    expect(move.can_remain_decisions).toEqual([
      {
        decider: 'filter',
        decision: 'NO',
        explanation: 'node matches cluster setting [cluster.routing.allocation.exclude] filters [_ip:"172.31.0.39"]',
      },
    ]);
    const decision = move.node_allocation_decisions?.[0];
    expect(Object.keys(decision ?? {})).toEqual(NODE_DECISION_KEYS);
    expect(decision?.deciders).toContainEqual({
      decider: 'enable',
      decision: 'NO',
      explanation: 'no allocations are allowed due to cluster setting [cluster.routing.allocation.enable=none]',
    });

    const none = await esError(client.cluster.allocationExplain());
    expect(none.meta.statusCode).toBe(400);

    c.stopNode('node-40');
    const unassigned = await client.cluster.allocationExplain();
    // ES writes the delay fields (millis only, unless ?human) between the explanation and the node decisions.
    const delayedKeys = ['note', ...UNASSIGNED_EXPLAIN_KEYS];
    delayedKeys.splice(
      delayedKeys.indexOf('node_allocation_decisions'),
      0,
      'configured_delay_in_millis',
      'remaining_delay_in_millis',
    );
    expect(Object.keys(unassigned)).toEqual(delayedKeys);
    expect(unassigned).toMatchObject({
      current_state: 'unassigned',
      unassigned_info: { reason: 'NODE_LEFT' },
      can_allocate: 'allocation_delayed',
    });
    expect(unassigned.configured_delay_in_millis).toBe(60_000);
    c.advance(61_000);
    const later = await client.cluster.allocationExplain({
      index: unassigned.index,
      shard: unassigned.shard,
      primary: false,
    });
    expect(later).toMatchObject({
      can_allocate: 'no',
      // eslint-disable-next-line @typescript-eslint/no-unsafe-assignment -- vitest types its asymmetric matchers as any
      allocate_explanation: expect.stringMatching(/^Elasticsearch isn't allowed to allocate this shard/),
    });
  });

  test('unknown endpoints, wrong methods and unreadable bodies fail as in ES', async () => {
    const noHandler = await esError(client.transport.request({ method: 'GET', path: '/_nothing/here' }));
    expect(noHandler.meta.statusCode).toBe(400);
    expect(noHandler.meta.body).toEqual({
      error: 'no handler found for uri [/_nothing/here] and method [GET]',
      status: 400,
    });
    const method = await esError(client.transport.request({ method: 'POST', path: '/_cluster/health' }));
    expect(method.meta.statusCode).toBe(405);
    expect(method.meta.body).toEqual({
      error: 'Incorrect HTTP method for uri [/_cluster/health] and method [POST], allowed: [GET]',
      status: 405,
    });
    const res = await fetch(`${es.url}/_cluster/settings`, {
      method: 'PUT',
      body: '{"persistent":{}}',
      headers: { 'content-type': 'text/plain' },
    });
    expect(res.status).toBe(406);
    expect(res.headers.get('x-elastic-product')).toBe('Elasticsearch');
  });

  test('fault injection: 429 and 503 reach the client, resets and silence too; /_sim stays reachable', async () => {
    await client.transport.request({
      method: 'PUT',
      path: '/_sim/faults',
      body: { mode: 'status', status: 429, count: 1 },
    });
    const rejected = await esError(client.cluster.health());
    expect(rejected.meta.statusCode).toBe(429);
    expect((rejected.meta.body as { error: { type: string } }).error.type).toBe('es_rejected_execution_exception');
    expect((await client.cluster.health()).status).toBe('green');

    await client.transport.request({ method: 'PUT', path: '/_sim/faults', body: { mode: 'status', status: 503 } });
    expect((await esError(client.cat.health())).meta.statusCode).toBe(503);
    expect(await client.transport.request({ method: 'GET', path: '/_sim/state' })).toMatchObject({
      faults: { mode: 'status', status: 503 },
    });

    await client.transport.request({ method: 'PUT', path: '/_sim/faults', body: { mode: 'reset' } });
    await expect(client.info()).rejects.toBeInstanceOf(errors.ConnectionError);

    await client.transport.request({
      method: 'PUT',
      path: '/_sim/faults',
      body: { mode: 'timeout', durationMs: 5000 },
    });
    await expect(client.info({}, { requestTimeout: 200 })).rejects.toBeInstanceOf(errors.TimeoutError);
    await client.transport.request({ method: 'PUT', path: '/_sim/faults', body: { mode: 'none' } });
    expect((await client.info()).cluster_name).toBe('active-data');
  });

  test('control endpoints stop, start and restart nodes', async () => {
    await client.transport.request({ method: 'POST', path: '/_sim/nodes/node-12/_stop' });
    expect((await client.cluster.health()).number_of_nodes).toBe(3);
    await client.transport.request({ method: 'POST', path: '/_sim/nodes/node-12/_start' });
    expect((await client.cluster.health()).number_of_nodes).toBe(4);
    await client.transport.request({
      method: 'POST',
      path: '/_sim/nodes/node-12/_restart',
      querystring: { delay_ms: 1000 },
    });
    expect((await client.cluster.health()).number_of_nodes).toBe(3);
    await client.transport.request({ method: 'POST', path: '/_sim/advance', body: { ms: 5000 } });
    expect((await client.cluster.health()).number_of_nodes).toBe(4);
    const missing = await esError(client.transport.request({ method: 'POST', path: '/_sim/nodes/node-99/_stop' }));
    expect(missing.meta.statusCode).toBe(404);
  });
});
