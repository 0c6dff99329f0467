import { describe, expect, test } from 'vitest';
import { exclusionVerdict, restartVerdict } from '../../src/runbooks/es-feasibility/index.js';
import { generateCluster } from '../../src/sim/es/index.js';
import { readAllocationFacts } from '../../src/targets/elasticsearch/index.js';
import { proxiedClusterAfterEach } from '../support/proxied-cluster.js';

/**
 * The generated 24,000-shard ActiveData cluster: the facts cost one `_cat/shards` read, and the
 * judgement of a drain, of excluding the spot zone (half the nodes) and of a rolling restart runs
 * on them without another request. Times are printed for the README, not asserted.
 */
describe('feasibility precheck at 24,000 shards', () => {
  const start = proxiedClusterAfterEach();

  test('one _cat/shards read; drain, exclude-zone spot and rolling restart judged on it', async () => {
    const cluster = generateCluster({ seed: 2016, nodes: 12, shards: 24_000, totalBytes: 6 * 1024 ** 4 });
    const { proxy, reader } = await start(cluster, { name: 'bench' });
    const t0 = performance.now();
    const facts = await readAllocationFacts(reader);
    const t1 = performance.now();
    expect(facts.copies).toHaveLength(24_000);
    expect(proxy.requests.filter((r) => r.path.includes('_cat/shards'))).toHaveLength(1);
    const before = proxy.requests.length;
    const node3 = facts.nodes.find((n) => n.name === 'node-3')!;
    const drain = exclusionVerdict(facts, { 'cluster.routing.allocation.exclude._ip': [node3.ip] });
    const t2 = performance.now();
    const zone = exclusionVerdict(facts, { 'cluster.routing.allocation.exclude.zone': ['spot'] });
    const t3 = performance.now();
    const restart = restartVerdict(
      facts,
      facts.nodes.map((n) => n.name),
    );
    const t4 = performance.now();
    expect(proxy.requests.length).toBe(before);
    expect(drain.note.movingCopies).toBe(node3.shards);
    expect(zone.note.movingCopies).toBeGreaterThan(10_000);
    expect(restart.refusals).toEqual([]);
    const ms = (a: number, b: number) => `${Math.round(b - a)} ms`;
    console.info(
      `24,000 shards: facts read ${ms(t0, t1)}; drain node-3 (${drain.note.movingCopies} copies) ${ms(t1, t2)}; ` +
        `exclude zone spot (${zone.note.movingCopies} copies, ${zone.refusals.length} refusal lines) ${ms(t2, t3)}; ` +
        `rolling restart ${ms(t3, t4)}`,
    );
  });
});
