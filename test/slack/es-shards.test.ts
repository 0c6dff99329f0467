import { describe, expect, test } from 'vitest';
import { SimCluster } from '../../src/sim/es/index.js';
import { alice, harnessesClosedAfterEach } from '../support/drain-fixture.js';
import { eventually } from '../support/wait.js';

const GB = 1024 ** 3;
/** Slack's text escapes <, > and & as entities. */
const plain = (t: string) => t.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

/** 20 indices of 2 shards and 1 replica on 3 nodes: more than a phone screen of rows on any node. */
function manyIndices(): SimCluster {
  return new SimCluster({
    nodes: ['n-1', 'n-2', 'n-3'].map((name, i) => ({
      name,
      ip: `10.0.0.${i + 1}`,
      zone: 'primary',
      diskTotalBytes: 500 * GB,
    })),
    indices: Array.from({ length: 20 }, (_, i) => ({
      name: `logs-2026.11.${String(i + 1).padStart(2, '0')}`,
      shards: 3,
      replicas: 1,
      bytesPerShard: (i + 1) * 100 * 1024 ** 2,
    })),
    seed: 7,
  });
}

/** Issue 19.6: /es shards NODE through the real receiver. */
describe('/es shards NODE: the copies on a node by index, primaries marked', () => {
  const start = harnessesClosedAfterEach();

  test('each index on the node with its primaries and replicas, as the cluster has them, in the channel', async () => {
    const h = await start();
    await h.driver.command('/es', 'shards node-3', alice);
    const card = await eventually(() => h.cards()[0], 'the shards card');
    const text = h.cardText(card);
    expect(text).toContain('node-3 on local: shards');
    const copies = h.stack.es.cluster.shardsOnNode('node-3');
    const primaries = copies.filter((c) => c.primary);
    expect(text).toContain(`*${copies.length}* shard copies of`);
    expect(text).toContain(`*${primaries.length}* of them primaries`);
    for (const index of ['unittest20160101_000000', 'jobs20160101_000000']) {
      const here = copies.filter((c) => c.group.index.name === index);
      const pri = here.filter((c) => c.primary).map((c) => c.group.id);
      const row = text.split('\n').find((l) => l.startsWith(index));
      expect(row, index).toBeDefined();
      const [, p, r, , list] = row!.split(/\s{2,}/);
      expect([Number(p), Number(r)]).toEqual([pri.length, here.length - pri.length]);
      expect(list).toBe(pri.length ? [...pri].sort((a, b) => a - b).join(',') : '-');
    }
  });

  test('a long table: 15 indices on the card, the whole table as a snippet in its thread', async () => {
    const h = await start({ cluster: manyIndices() });
    await h.driver.command('/es', 'shards n-2', alice);
    const card = await eventually(() => h.cards()[0], 'the shards card');
    const onNode = new Set(h.stack.es.cluster.shardsOnNode('n-2').map((c) => c.group.index.name));
    expect(onNode.size).toBeGreaterThan(15);
    const lines = h
      .cardText(card)
      .split('\n')
      .filter((l) => l.startsWith('logs-'));
    expect(lines).toHaveLength(15);
    // Largest first: the 20th index has the largest shards.
    expect(lines[0]).toMatch(/^logs-2026\.11\.(20|19|18)/);
    expect(h.cardText(card)).toContain(`… and ${onNode.size - 15} more indices: the whole table is in the thread.`);
    const file = await eventually(
      () => h.stack.slack.files().find((f) => f.completed && f.thread_ts === card.ts),
      'the snippet in the thread',
    );
    const rows = file.content!.toString().trimEnd().split('\n');
    expect(rows[0]).toMatch(/^index\s+pri\s+rep\s+size/);
    expect(
      rows
        .slice(1)
        .map((r) => r.split(/\s+/)[0])
        .sort(),
    ).toEqual([...onNode].sort());
  });

  test('an unknown node lists the nodes and says what to do; bad arguments get the usage', async () => {
    const h = await start();
    await h.driver.command('/es', 'shards node-9', alice);
    const refusal = await eventually(
      () => h.ephemeralTexts(alice.user_id).find((t) => t.includes('node-9')),
      'the unknown-node answer',
    );
    expect(refusal).toContain('node-1, node-2, node-3, node-4');
    expect(refusal).toContain('Check the name with /es status, then ask again.');
    await h.driver.command('/es', 'shards', alice);
    const usage = await eventually(
      () =>
        h
          .ephemeralTexts(alice.user_id)
          .map(plain)
          .find((t) => t.includes('missing <node>')),
      'the usage',
    );
    expect(usage).toContain('/es shards <node> [--cluster CLUSTER]');
    await h.driver.command('/es', 'shards node-1 node-2', alice);
    await eventually(
      () =>
        h
          .ephemeralTexts(alice.user_id)
          .map(plain)
          .find((t) => t.includes('unexpected "node-2"')),
      'usage',
    );
    expect(h.cards()).toEqual([]);
  });
});
