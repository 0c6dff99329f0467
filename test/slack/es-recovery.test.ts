import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { SimCluster } from '../../src/sim/es/index.js';
import { freePort } from '../../src/sim/services/free-port.js';
import { alice, startDrainHarness, type DrainHarness } from '../support/drain-fixture.js';
import { eventually } from '../support/wait.js';

const GB = 1024 ** 3;

/** 4 nodes; node-3 holds about a quarter of 12 copies of 2 GB and of 40 primaries of 1 GB. */
function cluster(): SimCluster {
  return new SimCluster({
    nodes: ['11', '12', '39', '14'].map((ip, i) => ({
      name: `node-${i + 1}`,
      ip: `172.31.0.${ip}`,
      zone: i === 2 ? 'spot' : 'primary',
      diskTotalBytes: 500 * GB,
    })),
    indices: [
      { name: 'unittest20160101_000000', shards: 6, replicas: 1, bytesPerShard: 2 * GB },
      { name: 'perf20160101_000000', shards: 40, replicas: 0, bytesPerShard: 1 * GB },
    ],
    seed: 11,
  });
}

const lines = (text: string) => text.replace(/```/g, '\n').split('\n');
const line = (text: string, start: string) => lines(text).find((l) => l.startsWith(start));

describe('/es recovery through the real Bolt receiver', () => {
  let h: DrainHarness;
  let sim: SimCluster;
  let deadUrl: string;

  beforeAll(async () => {
    deadUrl = `http://127.0.0.1:${await freePort()}`;
    sim = cluster();
    // tickMs 0: simulated time moves only when the test advances it.
    h = await startDrainHarness({
      cluster: sim,
      tickMs: 0,
      estate: { clusters: { dead: { url: deadUrl, requestTimeoutMs: 2000 } } },
    });
  });
  afterAll(async () => h?.close());
  beforeEach(() => h.stack.slack.reset());

  const channelText = async () => {
    const [msg] = await eventually(() => {
      const m = h.cards();
      return m.length ? m : undefined;
    }, 'a message in the channel');
    return { msg: msg!, text: h.cardText(msg!) };
  };

  test('during a drain: the throttles (persistent, transient, in force) and the recoveries, node to node', async () => {
    await h.es.cluster.putSettings({
      persistent: { 'indices.recovery.max_bytes_per_sec': '100mb' },
      transient: { 'indices.recovery.max_bytes_per_sec': '20mb' },
    });
    await h.driver.command('/es', 'recovery', alice);
    expect((await channelText()).text).toContain('No active recoveries');

    h.stack.slack.reset();
    await h.es.cluster.putSettings({ persistent: { 'cluster.routing.allocation.exclude._ip': '172.31.0.39' } });
    sim.advance(10_000);
    const asked = h.proxy.requests.length;
    const res = await h.driver.command('/es', 'recovery', alice);
    expect(res.status).toBe(200);
    const { msg, text } = await channelText();
    expect(msg.user).toBe('U0OPSBOT');
    // Two calls whatever the shard count: never a shard listing.
    expect(
      h.proxy.requests
        .slice(asked)
        .map((r) => `${r.method} ${r.path.split('?')[0]}`)
        .sort(),
    ).toEqual(['GET /_cat/recovery', 'GET /_cluster/settings']);

    // Both scopes and the one that wins; the counts fall back to ES 8's default of 2.
    expect(line(text, 'indices.recovery.max_bytes_per_sec')).toMatch(/\s100mb\s+20mb\s+20mb$/);
    expect(line(text, '…allocation.node_concurrent_incoming_recoveries')).toMatch(/\s-\s+-\s+2 \(default\)$/);
    expect(line(text, '…allocation.node_concurrent_recoveries ')).toMatch(/\s-\s+-\s+2 \(default\)$/);

    // node-3 sends its primaries 2 at a time (the outgoing default), sharing the transient 20 MB/s.
    const fromNode3 = lines(text).filter((l) => / node-3 → node-[124] /.test(l));
    expect(fromNode3).toHaveLength(2);
    for (const l of fromNode3)
      expect(l).toMatch(/^unittest20160101_000000\[\d\]\s+peer\s+node-3 → node-\d\s+100 MB \/ 2\.0 GB\s+10\.0 MB\/s$/);
    // Its replicas are rebuilt from their primaries on other nodes, each at the full 20 MB/s.
    const rebuilt = lines(text).filter((l) => / node-[124] → node-[124] /.test(l));
    expect(rebuilt.length).toBeGreaterThanOrEqual(1);
    for (const l of rebuilt) expect(l).toMatch(/\s200 MB \/ 2\.0 GB\s+20\.0 MB\/s$/);
    // node, in, bytes in left, out, bytes out left
    expect(line(text, 'node-3 ')!.split(/\s{2,}/)).toEqual(['node-3', '0', '0 B', '2', '3.8 GB']);
    expect(msg.text).toMatch(/^Cluster local: \d+ active recover(y|ies)$/);
  });

  test('more than 15 recoveries: the card shows 15 and says how many more', async () => {
    await h.es.cluster.putSettings({
      transient: { 'cluster.routing.allocation.node_concurrent_recoveries': '20' },
      persistent: { 'cluster.routing.allocation.exclude._ip': '172.31.0.39,172.31.0.14' },
    });
    sim.advance(1000);
    const active = (await h.es.cat.recovery({ active_only: true, format: 'json' })).length;
    expect(active).toBeGreaterThan(15);
    await h.driver.command('/es', 'recovery', alice);
    const { text } = await channelText();
    expect(lines(text).filter((l) => / → /.test(l) && !l.startsWith('shard'))).toHaveLength(15);
    expect(text).toContain(`… and ${active - 15} more recoveries`);
    expect(text).toContain(`*Active recoveries* (${active})`);
    expect(line(text, '…allocation.node_concurrent_outgoing_recoveries')).toMatch(
      /\s-\s+-\s+20 \(node_concurrent_recoveries\)$/,
    );
  });

  test('an unreachable cluster says so and what to do', async () => {
    await h.driver.command('/es', 'recovery --cluster dead', alice);
    const [text] = await eventually(() => {
      const m = h.ephemeralTexts(alice.user_id);
      return m.length ? m : undefined;
    }, 'an ephemeral reply');
    expect(text).toContain(`cluster dead (${deadUrl}) is unreachable`);
    expect(text).toContain('check that it is up');
  });
});
