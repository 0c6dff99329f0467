import { describe, expect, test } from 'vitest';
import { alice, bob, carol, harnessesClosedAfterEach, type DrainHarness } from '../support/drain-fixture.js';
import { eventually } from '../support/wait.js';

const EXCLUDE = 'cluster.routing.allocation.exclude._ip';

/**
 * `/es drain node-3 node-4` through the real receiver: one plan for the set, one merge-safe write
 * with both entries, per-node progress on one card, "empty: safe to stop" judged per node, the
 * undo removes only this run's entries. Unknown names are refused, listing the known nodes.
 */
describe('/es drain of several nodes', () => {
  const start = harnessesClosedAfterEach();
  const persistent = async (h: DrainHarness) =>
    (await h.es.cluster.getSettings({ flat_settings: true })).persistent as Record<string, string>;
  const lastRun = async (h: DrainHarness) => (await h.stack.bot.engine.listRuns())[0]!;

  test('two nodes (one named twice): one card, one write keeping the entry there, each judged empty', async () => {
    const h = await start({ speed: 200 });
    await h.es.cluster.putSettings({ persistent: { [EXCLUDE]: '10.0.0.99' } });
    await h.driver.command('/es', 'drain node-3 node-4 node-3', alice);
    const card = await h.cardWithButton('run_approve');
    const plan = h.cardText(card);
    expect(plan).toContain('Drain node-3 (172.31.0.39), node-4 (172.31.0.14) on local');
    expect(plan).toMatch(/node-3 \(172\.31\.0\.39\): \d+ shards/);
    expect(plan).toMatch(/node-4 \(172\.31\.0\.14\): \d+ shards/);
    expect(plan).toContain('`10.0.0.99` → `10.0.0.99,172.31.0.39,172.31.0.14`');
    await h.click('run_approve', bob, card);
    await eventually(
      async () => (await persistent(h))[EXCLUDE] === '10.0.0.99,172.31.0.39,172.31.0.14',
      'the one write',
    );
    await eventually(
      () => JSON.stringify(h.view.card(card.ts)?.blocks ?? []).includes('Left per node'),
      'per-node progress on the card',
      30_000,
    );
    const thread = await eventually(
      () => {
        const t = h.threadTexts(card.ts);
        return t.some((x) => x.includes('node-3, node-4 are all empty: safe to stop')) ? t : undefined;
      },
      'the set to be empty',
      30_000,
    );
    for (const node of ['node-3', 'node-4']) {
      const row = (await h.es.cat.allocation({ node_id: node, format: 'json' })).find((r) => r.node === node);
      expect(Number(row?.shards)).toBe(0);
    }
    // Each node's own verdict was said once, before or with the set's.
    expect(thread.filter((t) => t.includes('node-3 is empty: safe to stop')).length).toBeLessThanOrEqual(1);
    expect(h.proxy.settingsWrites()).toEqual([{ persistent: { [EXCLUDE]: '10.0.0.99,172.31.0.39,172.31.0.14' } }]);
    expect((await lastRun(h)).status).toBe('succeeded');
  });

  test('cancel and revert: only the run’s own entries leave the list, in one write', async () => {
    const h = await start({ speed: 0.01 });
    await h.es.cluster.putSettings({ persistent: { [EXCLUDE]: '10.0.0.99,172.31.0.14' } });
    await h.driver.command('/es', 'drain node-3 node-4', alice);
    const card = await h.cardWithButton('run_approve');
    await h.click('run_approve', bob, card);
    await eventually(async () => (await persistent(h))[EXCLUDE] === '10.0.0.99,172.31.0.14,172.31.0.39', 'the write');
    await h.click('run_cancel', alice, await h.cardWithButton('run_cancel'));
    await h.click('run_revert', alice, await h.cardWithButton('run_revert'));
    await h.click('run_approve', carol, await h.cardWithButton('run_approve'));
    await eventually(async () => (await lastRun(h)).status === 'reverted', 'the revert');
    // node-4's entry was there before the run: it stays.
    expect((await persistent(h))[EXCLUDE]).toBe('10.0.0.99,172.31.0.14');
    expect(h.proxy.settingsWrites().slice(1)).toEqual([{ persistent: { [EXCLUDE]: '10.0.0.99,172.31.0.14' } }]);
  });

  test('a set that leaves no room is refused; an unknown name is refused naming it and the known nodes', async () => {
    const h = await start();
    await h.driver.command('/es', 'drain node-3 node-7', alice);
    const unknown = await eventually(
      () => h.ephemeralTexts(alice.user_id).find((t) => t.includes('no node named "node-7"')),
      'the unknown-node refusal',
    );
    expect(unknown).toContain('known nodes are node-1, node-2, node-3, node-4');
    await h.driver.command('/es', 'drain node-1 node-2 node-3', alice);
    await eventually(
      () => h.ephemeralTexts(alice.user_id).find((t) => t.includes('Cannot drain node-1, node-2, node-3')),
      'the set refusal',
    );
    expect(await h.stack.bot.engine.listRuns()).toEqual([]);
    expect(h.proxy.settingsWrites()).toEqual([]);
  });
});
