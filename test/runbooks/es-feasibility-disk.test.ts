import { describe, expect, test } from 'vitest';
import { exclusionVerdict, restartVerdict } from '../../src/runbooks/es-feasibility/index.js';
import { clusterAllocationConfig, watermark } from '../../src/targets/elasticsearch/index.js';
import { copiesOf, EXCLUDE_IP, facts, GB, index, node } from './es-feasibility-facts.js';

const W = 'cluster.routing.allocation.disk.watermark.';
const drain3 = { [EXCLUDE_IP]: ['10.0.0.3'] };

/** Room under the LOW watermark per target: ES sends nothing to a node above it. */
describe('feasibility precheck: disk', () => {
  test('targets above the low watermark (but under high) take nothing: refused, with their usage', () => {
    // 100 GB disks, 87 GB used: above 85% (low), under 90% (high).
    const nodes = [node('node-1', 'a', 100, 87), node('node-2', 'a', 100, 87), node('node-3', 'a', 100, 10)];
    const f = facts(nodes, { logs: index(0) }, copiesOf('logs', 1, [['node-3'], ['node-3']]));
    const [total, reason, more] = exclusionVerdict(f, drain3).refusals;
    expect(more).toBeUndefined();
    expect(total).toBe(
      '2.0 GB in 2 copies must leave node-3, and the 2 nodes that may take them have 0 B free under the low ' +
        'watermark 85% (at most 200gb free) (ES sends nothing to a node above it)',
    );
    expect(reason).toContain('logs: 2 shard copies (2.0 GB) cannot leave node-3');
    expect(reason).toContain(
      'node-1 (87% used, 13.0 GB free), node-2 (87% used, 13.0 GB free): disk_threshold, above the low watermark 85%',
    );
    expect(reason).toContain('add a data node or free disk on the others');
  });

  test('the sum of free space would do, but per target the low watermark stops it part way', () => {
    // Each target has 8 GB under low (85 GB ceiling, 77 used): 16 GB of room for 20 GB of 1 GB shards.
    const nodes = [node('node-1', 'a', 100, 77), node('node-2', 'a', 100, 77), node('node-3', 'a', 100, 30)];
    const placement = Array.from({ length: 20 }, () => ['node-3']);
    const v = exclusionVerdict(facts(nodes, { logs: index(0) }, copiesOf('logs', 1, placement)), drain3);
    expect(v.note.roomUnderLowBytes).toBe(16 * GB);
    // 9 each: a node takes copies while it is under low (the 9th ends it at 86 GB, still under high).
    expect(v.refusals[0]).toContain(
      '20.0 GB in 20 copies must leave node-3, and the 2 nodes that may take them have 16.0 GB',
    );
    expect(v.refusals[1]).toContain('logs: 2 shard copies (2.0 GB) cannot leave node-3');
    expect(v.refusals[1]).toContain('after the copies planned before this one, above the low watermark 85%');
  });

  test('the largest shard fits nowhere: its size against the most room under the high watermark', () => {
    const nodes = [node('node-1', 'a', 100, 20), node('node-2', 'a', 100, 30), node('node-3', 'a', 400, 100)];
    const f = facts(nodes, { big: index(0) }, copiesOf('big', 80, [['node-3']]));
    const v = exclusionVerdict(f, drain3);
    expect(v.note.largest).toEqual({ shard: 'big[0]', bytes: 80 * GB, fitsOn: 0 });
    const reason = v.refusals[1]!;
    expect(reason).toContain('big: 1 shard copy (80.0 GB) cannot leave node-3, e.g. big[0] (primary, 80.0 GB)');
    expect(reason).toContain('and fits on no node: the most room under the high watermark is 70.0 GB (node-1)');
    expect(reason).toContain(
      'node-1 (20% used, 80.0 GB free), node-2 (30% used, 70.0 GB free): disk_threshold, the copy',
    );
  });

  test('tight: feasible, but a target ends above the low watermark; says what tight means', () => {
    const nodes = [node('node-1', 'a', 100, 80), node('node-2', 'a', 100, 10), node('node-3', 'a', 100, 30)];
    const logs = index(0, { filters: { require: {}, include: {}, exclude: { _name: ['node-2'] } } });
    const v = exclusionVerdict(facts(nodes, { logs }, copiesOf('logs', 3, [['node-3'], ['node-3']])), drain3);
    expect(v.refusals).toEqual([]);
    expect(v.note.fullest).toEqual({ node: 'node-1', usedPercent: 86 });
    expect(v.note.warnings[0]).toMatch(
      /^tight: node-1 \(86% used\) would end above the low watermark 85% .*: ES then allocates nothing more there/,
    );
    expect(v.note.warnings[0]).toContain(
      'growth past the high watermark 90% (at most 150gb free) makes ES move shards',
    );
  });

  test('watermark forms: percent, ratio, bytes of free space; headroom only when ES applies it', () => {
    expect(watermark('w', '85%', undefined).requiredFree(1000)).toBe(150);
    expect(watermark('w', '0.85', undefined).requiredFree(1000)).toBe(150);
    expect(watermark('w', '20gb', undefined).requiredFree(1000 * GB)).toBe(20 * GB);
    expect(watermark('w', '85%', '200gb').requiredFree(10_000 * GB)).toBe(200 * GB);
    expect(() => watermark('w', 'lots', undefined)).toThrow(
      'w = "lots" is neither a percentage, a ratio nor a byte size',
    );
    const cfg = (persistent: Record<string, string>, transient: Record<string, string> = {}) =>
      clusterAllocationConfig({
        persistent,
        transient,
        defaults: { [`${W}low`]: '85%', [`${W}low.max_headroom`]: '200gb' },
      }).low;
    // Default 85% with its 200gb headroom: a 10 TB disk keeps 200 GB free, not 1.5 TB.
    expect(cfg({}).requiredFree(10_240 * GB)).toBe(200 * GB);
    // An explicit percentage drops the default headroom...
    expect(cfg({ [`${W}low`]: '85%' }).requiredFree(10_240 * GB)).toBe(1536 * GB);
    // ...unless the headroom is set too; and transient beats persistent beats default.
    expect(cfg({ [`${W}low`]: '80%', [`${W}low.max_headroom`]: '1tb' }).requiredFree(10_240 * GB)).toBe(1024 * GB);
    expect(cfg({ [`${W}low`]: '80%' }, { [`${W}low`]: '50gb' }).requiredFree(10_240 * GB)).toBe(50 * GB);
  });

  test('disk threshold disabled: disk never blocks', () => {
    const nodes = [node('node-1', 'a', 100, 99), node('node-3', 'a', 100, 10)];
    const f = facts(nodes, { logs: index(0) }, copiesOf('logs', 1, [['node-3']]), {
      'cluster.routing.allocation.disk.threshold_enabled': 'false',
    });
    expect(exclusionVerdict(f, drain3).refusals).toEqual([]);
  });
});

/** A restarted node above the low watermark gets none of its copies back: they are rebuilt elsewhere. */
describe('feasibility precheck: rolling restart', () => {
  test('a node above low: warned (its copies are rebuilt elsewhere); refused when they fit nowhere', () => {
    const nodes = [node('node-1', 'a', 100, 87), node('node-2', 'a', 100, 20), node('node-3', 'a', 100, 20)];
    const copies = copiesOf('logs', 1, [
      ['node-1', 'node-2'],
      ['node-3', 'node-1'],
    ]);
    const v = restartVerdict(facts(nodes, { logs: index(1) }, copies), ['node-1', 'node-2', 'node-3']);
    expect(v.refusals).toEqual([]);
    expect(v.note.warnings[0]).toMatch(
      /^node-1 is above the low watermark 85% .*\(87% used\): after its restart ES will not put its 2 copies \(87\.0 GB\) back/,
    );
    // Only two nodes: node-1's copies have nowhere else to go (same_shard on node-2).
    const two = facts(nodes.slice(0, 2), { logs: index(1) }, copiesOf('logs', 1, [['node-1', 'node-2']]));
    const refused = restartVerdict(two, ['node-1', 'node-2']);
    expect(refused.refusals[0]).toMatch(/^after a restart: logs: 1 shard copy \(1\.0 GB\) cannot leave node-1/);
    // Under low, nothing moves and nothing is said.
    const fine = restartVerdict(
      facts(nodes.slice(1), { logs: index(1) }, copiesOf('logs', 1, [['node-2', 'node-3']])),
      ['node-2'],
    );
    expect(fine.refusals).toEqual([]);
    expect(fine.note.warnings).toEqual([]);
  });
});
