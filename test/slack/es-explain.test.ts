import { describe, expect, test } from 'vitest';
import { alice, harnessesClosedAfterEach, type DrainHarness } from '../support/drain-fixture.js';
import { eventually } from '../support/wait.js';

const INDEX = 'unittest20160101_000000';

/** The node names of shard 0's primary and replica, as the simulator's routing table has them. */
function copiesOf(h: DrainHarness, shard: number): { primary: string; replica: string } {
  const sim = h.stack.es.cluster;
  const group = sim.state.indices.get(INDEX)!.groups[shard]!;
  const name = (primary: boolean) =>
    sim.state.nodes.get(group.copies.find((c) => c.primary === primary)!.nodeId!)!.name;
  return { primary: name(true), replica: name(false) };
}

/** Issue 19.6: /es explain INDEX SHARD [--primary] through the real receiver. */
describe('/es explain INDEX SHARD: where a copy is and why, deciders in plain words', () => {
  const start = harnessesClosedAfterEach();

  test('a replica: its node, ES answer, and the node with the primary ruled out in words', async () => {
    const h = await start();
    const { primary, replica } = copiesOf(h, 0);
    await h.driver.command('/es', `explain ${INDEX} 0`, alice);
    const card = await eventually(() => h.cards()[0], 'the explanation');
    const text = h.cardText(card);
    expect(text).toContain(`${INDEX}[0] replica on local`);
    expect(text).toContain(`STARTED on *${replica}*`);
    expect(text).toContain('Elasticsearch says');
    // The primary's node may not take the replica: ES's same_shard decider, in words.
    const line = text.split('\n').find((l) => l.includes(`${primary}:`));
    expect(line).toMatch(/✗ .*: may not, a copy of this shard is already there/);
    expect(text).toContain('add --primary for the primary');
  });

  test('--primary explains the primary', async () => {
    const h = await start();
    const { primary } = copiesOf(h, 1);
    await h.driver.command('/es', `explain ${INDEX} 1 --primary`, alice);
    const card = await eventually(() => h.cards()[0], 'the explanation');
    expect(h.cardText(card)).toContain(`${INDEX}[1] primary on local`);
    expect(h.cardText(card)).toContain(`STARTED on *${primary}*`);
  });

  test('an unknown index or shard says so with the next step; bad arguments get the usage', async () => {
    const h = await start();
    await h.driver.command('/es', 'explain nope 0', alice);
    const missing = await eventually(
      () => h.ephemeralTexts(alice.user_id).find((t) => t.includes('nope')),
      'the unknown-index answer',
    );
    expect(missing).toContain('no shard 0 of an index named nope on local');
    expect(missing).toContain('Check the index and shard number with /es shards NODE');
    await h.driver.command('/es', `explain ${INDEX} 99`, alice);
    await eventually(() => h.ephemeralTexts(alice.user_id).find((t) => t.includes('no shard 99')), 'no shard 99');
    await h.driver.command('/es', `explain ${INDEX} first`, alice);
    const usage = await eventually(
      () => h.ephemeralTexts(alice.user_id).find((t) => t.includes('must be a number')),
      'the usage',
    );
    // Slack's text escapes < and > as entities.
    expect(usage.replace(/&lt;/g, '<').replace(/&gt;/g, '>')).toContain(
      '/es explain <index> <shard> [--primary] [--cluster CLUSTER]',
    );
    expect(h.cards()).toEqual([]);
  });
});
