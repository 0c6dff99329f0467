import { describe, expect, test } from 'vitest';
import { alice, bob, carol, harnessesClosedAfterEach, type DrainHarness } from '../support/drain-fixture.js';
import { eventually } from '../support/wait.js';

const EXCLUDE = 'cluster.routing.allocation.exclude._ip';
const RATE = 'indices.recovery.max_bytes_per_sec';
const INCOMING = 'cluster.routing.allocation.node_concurrent_incoming_recoveries';
const OUTGOING = 'cluster.routing.allocation.node_concurrent_outgoing_recoveries';
const LIMITS = { maxBytesPerSec: '200mb', nodeConcurrentIncomingRecoveries: 4, nodeConcurrentOutgoingRecoveries: 4 };

/**
 * `/es drain NODE --fast` through the real receiver: the card shows the throttles now → raised and
 * the expected time at both; one approval; the raise is written, and the exact earlier values
 * (a persistent 50mb stays 50mb, an unset count is removed again) come back when the drain ends,
 * when it is cancelled and reverted. Left raised (cancel, keep), the card alarms.
 */
describe('/es drain --fast', () => {
  const start = harnessesClosedAfterEach();
  const fastHarness = (opts: { speed?: number } = {}) =>
    start({ localCluster: () => ({ fastRecovery: LIMITS }), ...opts });
  const persistent = async (h: DrainHarness) =>
    (await h.es.cluster.getSettings({ flat_settings: true })).persistent as Record<string, string>;
  const lastRun = async (h: DrainHarness) => (await h.stack.bot.engine.listRuns())[0]!;

  test('the plan card shows both throttles and times; after one approval, raise, drain, restore exactly', async () => {
    const h = await fastHarness();
    await h.es.cluster.putSettings({ persistent: { [RATE]: '50mb' } });
    await h.driver.command('/es', 'drain node-3 --fast', alice);
    const card = await h.cardWithButton('run_approve');
    const plan = h.cardText(card);
    expect(plan).toContain('`indices.recovery.max_bytes_per_sec`: 50mb → *200mb*');
    expect(plan).toContain('`cluster.routing.allocation.node_concurrent_incoming_recoveries`: 2 → *4*');
    expect(plan).toContain('`cluster.routing.allocation.node_concurrent_outgoing_recoveries`: 2 → *4*');
    expect(plan).toMatch(/\*Expected time\*: ≈ (\d+ m|under a minute) at the throttle in force, ≈ .+ raised/);
    expect(plan).toContain('restored to exactly these values when the drain ends');

    await h.click('run_approve', bob, card);
    await eventually(
      () => h.threadTexts(card.ts).some((t) => t.includes('node-3 is empty: safe to stop')),
      'the drain to end',
      30_000,
    );
    await eventually(async () => (await lastRun(h)).status === 'succeeded', 'the run to succeed');
    const run = await lastRun(h);
    expect(run.steps.map((s) => [s.id, s.status])).toEqual([
      ['move-shards-off', 'done'],
      ['raise-recovery-throttle', 'done'],
      ['wait-for-empty', 'done'],
      ['restore-recovery-throttle', 'done'],
    ]);
    expect(h.proxy.settingsWrites()).toEqual([
      { persistent: { [EXCLUDE]: '172.31.0.39' } },
      { persistent: { [RATE]: '200mb', [INCOMING]: '4', [OUTGOING]: '4' } },
      { persistent: { [RATE]: '50mb', [INCOMING]: null, [OUTGOING]: null } },
    ]);
    const after = await persistent(h);
    expect(after[RATE]).toBe('50mb');
    expect(after).not.toHaveProperty(INCOMING);
    expect(after).not.toHaveProperty(OUTGOING);
    expect(run.endAlarms ?? []).toEqual([]);
    expect(h.cardText(h.view.card(card.ts)!)).not.toContain('still RAISED');
  });

  test('cancel, then revert mid-drain: the throttle is restored first, without waiting for an approval', async () => {
    const h = await fastHarness({ speed: 0.01 });
    await h.driver.command('/es', 'drain node-3 --fast', alice);
    const card = await h.cardWithButton('run_approve');
    await h.click('run_approve', bob, card);
    await eventually(async () => (await persistent(h))[RATE] === '200mb', 'the raise');
    await h.click('run_cancel', alice, await h.cardWithButton('run_cancel'));
    await h.click('run_revert', alice, await h.cardWithButton('run_revert'));
    // The throttle comes back at once; allowing shards back onto the node waits for a second person.
    await eventually(async () => (await persistent(h))[RATE] === undefined, 'the throttle restored');
    const approveUndo = await h.cardWithButton('run_approve');
    expect(h.cardText(approveUndo)).toContain('Allow allocation back to node');
    expect(await persistent(h)).not.toHaveProperty(INCOMING);
    await h.click('run_approve', carol, approveUndo);
    await eventually(async () => (await lastRun(h)).status === 'reverted', 'the run to be reverted');
    expect(await persistent(h)).toEqual({});
    expect((await lastRun(h)).endAlarms ?? []).toEqual([]);
  });

  test('cancelled and kept: the raised throttle left behind is the card alarm, with the exact way back', async () => {
    const h = await fastHarness({ speed: 0.01 });
    await h.driver.command('/es', 'drain node-3 --fast', alice);
    const card = await h.cardWithButton('run_approve');
    await h.click('run_approve', bob, card);
    await eventually(async () => (await persistent(h))[RATE] === '200mb', 'the raise');
    await eventually(
      () => h.cardText(h.view.card(card.ts)!).includes('The recovery throttle is raised for this drain'),
      'the card saying the throttle is raised while the drain goes on',
    );
    await h.click('run_cancel', alice, await h.cardWithButton('run_cancel'));
    await h.click('run_keep', alice, await h.cardWithButton('run_keep'));
    await eventually(async () => (await lastRun(h)).undoOffer?.decided?.choice === 'keep', 'the keep');
    expect((await lastRun(h)).endAlarms).toContain('recovery-throttle-raised');
    const text = await eventually(() => {
      const t = h.cardText(h.view.card(card.ts)!);
      return t.includes('Recovery throttle still RAISED on cluster local') ? t : undefined;
    }, 'the alarm on the card');
    expect(text).toContain(
      '`PUT _cluster/settings {"persistent": {"indices.recovery.max_bytes_per_sec":null,' +
        '"cluster.routing.allocation.node_concurrent_incoming_recoveries":null,' +
        '"cluster.routing.allocation.node_concurrent_outgoing_recoveries":null}}`',
    );
  });

  test('someone else changes a raised throttle meanwhile: the restore leaves theirs and says so', async () => {
    const h = await fastHarness({ speed: 0.01 });
    await h.driver.command('/es', 'drain node-3 --fast', alice);
    const card = await h.cardWithButton('run_approve');
    await h.click('run_approve', bob, card);
    await eventually(async () => (await persistent(h))[RATE] === '200mb', 'the raise');
    await h.es.cluster.putSettings({ persistent: { [RATE]: '300mb' } });
    await h.click('run_cancel', alice, await h.cardWithButton('run_cancel'));
    await h.click('run_revert', alice, await h.cardWithButton('run_revert'));
    await eventually(async () => (await persistent(h))[INCOMING] === undefined, 'the counts restored');
    expect((await persistent(h))[RATE]).toBe('300mb');
    await eventually(
      () => h.threadTexts(card.ts).some((t) => t.includes('left indices.recovery.max_bytes_per_sec = 300mb')),
      'the restore naming what it left',
    );
  });

  test('--fast without limits in opsbot.yaml names the keys to set; nothing is created', async () => {
    const h = await start();
    await h.driver.command('/es', 'drain node-3 --fast', alice);
    const text = await eventually(
      () => h.ephemeralTexts(alice.user_id).find((t) => t.includes('--fast needs the limits')),
      'the refusal',
    );
    expect(text).toContain('clusters.local.fastRecovery.maxBytesPerSec');
    expect(text).toContain('clusters.local.fastRecovery.nodeConcurrentIncomingRecoveries');
    expect(await h.stack.bot.engine.listRuns()).toEqual([]);
    expect(h.proxy.settingsWrites()).toEqual([]);
  });

  test('a limit below the throttle in force is refused with the value in force shown', async () => {
    const h = await fastHarness();
    await h.es.cluster.putSettings({ persistent: { [RATE]: '500mb' } });
    await h.driver.command('/es', 'maintain node-3 --fast', alice);
    const text = await eventually(
      () => h.ephemeralTexts(alice.user_id).find((t) => t.includes('--fast would slow')),
      'the refusal',
    );
    expect(text).toContain(
      'clusters.local.fastRecovery.maxBytesPerSec is 200mb but indices.recovery.max_bytes_per_sec is 500mb now',
    );
    expect(await h.stack.bot.engine.listRuns()).toEqual([]);
  });
});
