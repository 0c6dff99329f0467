import { describe, expect, test } from 'vitest';
import { exclusionVerdict, judgeExclusion, settingsAfter } from '../../src/runbooks/es-feasibility/index.js';
import { copiesOf, EXCLUDE_IP, EXCLUDE_ZONE, facts, index, node } from './es-feasibility-facts.js';

const A = 'cluster.routing.allocation.';
const drain = (ip: string) => ({ [EXCLUDE_IP]: [ip] });

/** The per-shard precheck on plain facts: each decider that can make a drain or a zone exclusion impossible. */
describe('feasibility precheck: eligible targets per shard copy', () => {
  const four = () => [
    node('node-1', 'primary', 200, 20),
    node('node-2', 'secondary', 200, 20),
    node('node-3', 'spot', 200, 20),
    node('node-4', 'primary', 200, 20),
  ];

  test('a drain with room everywhere: every copy on node-3 has a target, nothing refused', () => {
    const f = facts(
      four(),
      { logs: index(1) },
      copiesOf('logs', 2, [
        ['node-3', 'node-1'],
        ['node-2', 'node-3'],
        ['node-4', 'node-2'],
      ]),
    );
    const v = exclusionVerdict(f, drain('10.0.0.3'));
    expect(v.refusals).toEqual([]);
    expect(v.note).toMatchObject({ movingCopies: 2, from: ['node-3'], targets: 3, warnings: [] });
    expect(v.note.largest).toEqual({ shard: 'logs[0]', bytes: 2 * 1024 ** 3, fitsOn: 3 });
  });

  test('same_shard: three copies on three nodes, one drained: nowhere to go, fix names the replicas', () => {
    const nodes = four().slice(0, 3);
    const f = facts(nodes, { logs: index(2) }, copiesOf('logs', 1, [['node-1', 'node-2', 'node-3']]));
    const [reason, ...rest] = exclusionVerdict(f, drain('10.0.0.3')).refusals;
    expect(rest).toEqual([]);
    expect(reason).toContain('logs: 1 shard copy (1.0 GB) cannot leave node-3, e.g. logs[0] (replica, 1.0 GB)');
    expect(reason).toContain('node-1, node-2: same_shard, a copy of this shard is already on this node');
    expect(reason).toContain('PUT /logs/_settings {"index.number_of_replicas": 1}');
  });

  test('same_shard.host: the only free node shares a host with the other copy', () => {
    const nodes = [
      node('node-1', 'a', 200, 10),
      node('node-2', 'a', 200, 10, { host: '10.0.0.1', ip: '10.0.0.1' }),
      node('node-3', 'a', 200, 10),
    ];
    const f = facts(nodes, { logs: index(1) }, copiesOf('logs', 1, [['node-1', 'node-3']]));
    expect(exclusionVerdict(f, drain('10.0.0.3')).refusals).toEqual([]);
    const strict = { ...f, settings: { ...f.settings, persistent: { [`${A}same_shard.host`]: 'true' } } };
    // node-2 shares node-1's IP: the drain now excludes node-1 too, so drain by name.
    const [reason] = exclusionVerdict(strict, { [`${A}exclude._name`]: ['node-3'] }).refusals;
    expect(reason).toContain('node-2: same_shard, a copy of this shard is already on host 10.0.0.1 (same_shard.host)');
    expect(reason).toContain(`PUT _cluster/settings {"persistent": {"${A}same_shard.host": false}}`);
  });

  test('zone awareness: with zones primary and spot, excluding spot leaves one zone for two copies', () => {
    const nodes = [
      node('node-1', 'primary', 200, 10),
      node('node-2', 'primary', 200, 10),
      node('node-3', 'spot', 200, 10),
      node('node-4', 'spot', 200, 10),
    ];
    const copies = copiesOf('logs', 1, [
      ['node-1', 'node-3'],
      ['node-4', 'node-2'],
    ]);
    const f = facts(nodes, { logs: index(1) }, copies, { [`${A}awareness.attributes`]: 'zone' });
    const v = exclusionVerdict(f, { [EXCLUDE_ZONE]: ['spot'] });
    expect(v.refusals).toHaveLength(1);
    expect(v.refusals[0]).toContain('logs: 2 shard copies (2.0 GB) cannot leave node-3, node-4');
    expect(v.refusals[0]).toContain(
      'node-2: awareness, 2 copies over 2 values of zone allow at most 1 in zone primary, this would be the 2nd',
    );
    expect(v.refusals[0]).toContain(`PUT _cluster/settings {"persistent": {"${A}awareness.attributes": null}}`);
    // Without awareness the same exclusion is fine.
    expect(
      exclusionVerdict({ ...f, settings: { ...f.settings, persistent: {} } }, { [EXCLUDE_ZONE]: ['spot'] }).refusals,
    ).toEqual([]);
  });

  test('forced awareness: a forced zone without nodes caps every zone, so a drain inside a zone is refused', () => {
    const nodes = [
      node('node-1', 'primary', 200, 10),
      node('node-2', 'primary', 200, 10),
      node('node-3', 'secondary', 200, 10),
    ];
    const f = facts(nodes, { logs: index(1) }, copiesOf('logs', 1, [['node-1', 'node-3']]), {
      [`${A}awareness.attributes`]: 'zone',
      [`${A}awareness.force.zone.values`]: 'primary,secondary',
    });
    // node-2 is in primary, which already holds node-1's copy: 2 copies over 2 forced values, at most 1 per zone.
    const [reason] = exclusionVerdict(f, drain('10.0.0.3')).refusals;
    expect(reason).toContain('node-2: awareness, 2 copies over 2 values of zone allow at most 1 in zone primary');
    expect(reason).toContain(`{"${A}awareness.force.zone.values": null}`);
  });

  test('index-level require filter: only one other node has box=hot and it holds the other copy', () => {
    const hot = (name: string) => node(name, 'a', 200, 10, { attributes: { zone: 'a', box: 'hot' } });
    const nodes = [hot('node-1'), node('node-2', 'a', 200, 10), hot('node-3')];
    const logs = index(1, { filters: { require: { box: ['hot'] }, include: {}, exclude: {} } });
    const f = facts(nodes, { logs }, copiesOf('logs', 1, [['node-1', 'node-3']]));
    const [reason] = exclusionVerdict(f, drain('10.0.0.3')).refusals;
    expect(reason).toContain('node-1: same_shard');
    expect(reason).toContain('node-2: filter, index setting index.routing.allocation.not require.box');
    expect(reason).toContain('PUT /logs/_settings {"index.routing.allocation.require.box": null}');
  });

  test('tier preference: data_hot nodes only, the warm node cannot take it', () => {
    const nodes = [
      node('node-1', 'a', 200, 10, { roles: ['data_hot'] }),
      node('node-2', 'a', 200, 10, { roles: ['data_warm'] }),
      node('node-3', 'a', 200, 10, { roles: ['data_hot'] }),
    ];
    const f = facts(
      nodes,
      { logs: index(1, { tierPreference: ['data_hot'] }) },
      copiesOf('logs', 1, [['node-1', 'node-3']]),
    );
    const [reason] = exclusionVerdict(f, drain('10.0.0.3')).refusals;
    expect(reason).toContain("node-2: filter, not in the index's tier (_tier_preference data_hot)");
  });

  test('index total_shards_per_node: the other nodes already hold their two copies of the index', () => {
    const nodes = [...four()];
    const placement = [
      ['node-3', 'node-1'],
      ['node-3', 'node-2'],
      ['node-3', 'node-4'],
      ['node-1', 'node-3'],
      ['node-2', 'node-4'],
    ];
    const logs = index(1, { totalShardsPerNode: 2 });
    const f = facts(nodes, { logs }, copiesOf('logs', 1, placement));
    const v = exclusionVerdict(f, drain('10.0.0.3'));
    // node-1, node-2 and node-4 hold 2 copies each (the limit): none can take one of node-3's 4.
    expect(v.refusals[0]).toContain('logs: 4 shard copies');
    expect(v.refusals[0]).toContain('shards_limit, the node already holds 2 copies of the index');
    expect(v.refusals[0]).toContain('PUT /logs/_settings {"index.routing.allocation.total_shards_per_node": 4}');
    expect(
      exclusionVerdict({ ...f, indices: { logs: index(1, { totalShardsPerNode: 4 }) } }, drain('10.0.0.3')).refusals,
    ).toEqual([]);
  });

  test('cluster total_shards_per_node counts every index on the node', () => {
    const nodes = four().slice(0, 3);
    const f = facts(
      nodes,
      { a: index(0), b: index(0) },
      [...copiesOf('a', 1, [['node-1'], ['node-3']]), ...copiesOf('b', 1, [['node-2'], ['node-3']])],
      { [`${A}total_shards_per_node`]: '1' },
    );
    const reasons = exclusionVerdict(f, drain('10.0.0.3')).refusals.join('\n');
    expect(reasons).toContain(
      'shards_limit, the node already holds 1 copies (cluster.routing.allocation.total_shards_per_node=1)',
    );
    expect(reasons).toContain(`{"persistent": {"${A}total_shards_per_node": 3}}`);
  });

  test('a node excluded before the plan with stuck copies warns, it does not refuse this drain', () => {
    const nodes = four().slice(0, 3);
    const f = facts(
      nodes,
      { solo: index(1), logs: index(1) },
      [...copiesOf('solo', 1, [['node-1', 'node-2']]), ...copiesOf('logs', 1, [['node-3', 'node-1']])],
      { [EXCLUDE_IP]: '10.0.0.2' },
    );
    const v = exclusionVerdict(f, { [EXCLUDE_IP]: ['10.0.0.2', '10.0.0.3'] });
    // node-3's logs copy cannot go to node-1 (same_shard): refused; node-2's solo copy is older news.
    expect(v.refusals).toHaveLength(1);
    expect(v.refusals[0]).toContain('cannot leave node-3');
    expect(v.note.warnings.join('\n')).toContain(
      'already stuck before this plan (not blocking it): solo: 1 shard copy',
    );
  });

  test('settingsAfter appends to the persistent list and keeps what was there', () => {
    const s = { persistent: { [EXCLUDE_IP]: '10.0.0.9' }, transient: {}, defaults: {} };
    expect(settingsAfter(s, drain('10.0.0.3')).persistent[EXCLUDE_IP]).toBe('10.0.0.9,10.0.0.3');
    expect(settingsAfter(s, drain('10.0.0.9')).persistent[EXCLUDE_IP]).toBe('10.0.0.9');
    expect(judgeExclusion(facts([], {}, []), settingsAfter(s, {})).moving.copies).toBe(0);
  });
});
