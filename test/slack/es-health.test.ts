import { describe, expect, test } from 'vitest';
import { alice, harnessesClosedAfterEach, type DrainHarness } from '../support/drain-fixture.js';
import { eventually } from '../support/wait.js';

/** A red index (no replica, its node gone) and yellow ones (their replicas on that node), for good. */
async function breakNode4(h: DrainHarness): Promise<void> {
  const sim = h.stack.es.cluster;
  // Replicas lost with a node stay unassigned (as during a rolling restart): the cluster stays yellow.
  await h.es.cluster.putSettings({ persistent: { 'cluster.routing.allocation.enable': 'primaries' } });
  await h.es.indices.create({
    index: 'solo-1',
    settings: { number_of_shards: 1, number_of_replicas: 0, 'index.routing.allocation.require._name': 'node-4' },
  });
  await eventually(
    async () => (await h.es.cat.shards({ index: 'solo-*', format: 'json' }))[0]?.state === 'STARTED',
    'the 0-replica index started on node-4',
  );
  sim.stopNode('node-4');
  await eventually(async () => (await h.es.cluster.health()).status === 'red', 'the cluster to turn red');
}

/** Issue 19.6: /es health and /es health --indices through the real receiver. */
describe('/es health [--indices]: the status, then the red and yellow indices and why', () => {
  const start = harnessesClosedAfterEach();

  test('green: the counts, and --indices says there is nothing red or yellow', async () => {
    const h = await start();
    await h.driver.command('/es', 'health', alice);
    const card = await eventually(() => h.cards()[0], 'the health answer');
    expect(h.cardText(card)).toMatch(/local\* is \*green\*\n\*4\* nodes \(4 data\) · \*\d+\* active shards/);
    await h.driver.command('/es', 'health --indices', alice);
    const none = await eventually(() => h.cards()[1], 'the indices answer');
    expect(h.cardText(none)).toContain('is *green*: no red or yellow index');
  });

  test('--indices: red first with why ES left it unassigned, then yellow; the worst one explained', async () => {
    const h = await start({ speed: 5 });
    await breakNode4(h);
    await h.driver.command('/es', 'health --indices', alice);
    const card = await eventually(() => h.cards()[0], 'the indices answer');
    const text = h.cardText(card);
    const lines = text.split('\n');
    const row = (name: string) => lines.findIndex((l) => l.startsWith(name));
    // Red first, why in words.
    expect(lines[row('solo-')]).toMatch(/^solo-1 +red +1\/0 +0 +its node left \(1\)/);
    expect(row('solo-')).toBeLessThan(row('unittest'));
    expect(lines[row('unittest')]).toMatch(/yellow +0\/\d+ .*its node left/);
    expect(text).toMatch(/\*1\* red, \*\d+\* yellow/);
    expect(text).toContain('Worst, solo-1[0] primary');
    expect(text).toContain('`/es explain INDEX SHARD --primary` says why for one copy');
    // Plain /es health points to --indices when it is not green.
    await h.driver.command('/es', 'health', alice);
    const plain = await eventually(() => h.cards()[1], 'the health answer');
    expect(h.cardText(plain)).toContain('is *red*');
    expect(h.cardText(plain)).toContain('`/es health --indices` lists the red and yellow indices');
  });

  test('an unknown flag or argument gets the usage; the help lists the command', async () => {
    const h = await start();
    await h.driver.command('/es', 'health --shards', alice);
    const usage = await eventually(
      () => h.ephemeralTexts(alice.user_id).find((t) => t.includes('--shards')),
      'the usage',
    );
    expect(usage).toContain('/es health');
    await h.driver.command('/es', 'help', alice);
    const help = await eventually(
      () =>
        [...h.ephemeralTexts(alice.user_id), ...h.cards().map((c) => h.cardText(c))].find((t) => t.includes('health')),
      'the help',
    );
    expect(help).toContain('--indices');
  });
});
