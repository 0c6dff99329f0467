import { describe, expect, test } from 'vitest';
import type { LocalStackOptions } from '../../src/main/local-stack.js';
import {
  alice,
  bob,
  carol,
  harnessesClosedAfterEach,
  setEsFault as esFault,
  type DrainHarness,
} from '../support/drain-fixture.js';
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
 * when it is cancelled (kept or reverted) and when it fails. Left raised (ES gone), the card alarms.
 */
describe('/es drain --fast', () => {
  const start = harnessesClosedAfterEach();
  const fastHarness = (opts: Partial<LocalStackOptions> = {}) =>
    start({ localCluster: () => ({ fastRecovery: LIMITS }), ...opts });
  const persistent = async (h: DrainHarness) =>
    (await h.es.cluster.getSettings({ flat_settings: true })).persistent as Record<string, string>;
  const lastRun = async (h: DrainHarness) => (await h.stack.bot.engine.listRuns())[0]!;
  /** A fast drain of node-3, approved; once the throttle is raised (written and read back), ES answers 503. */
  const outageAfterRaise = async (h: DrainHarness) => {
    await h.driver.command('/es', 'drain node-3 --fast', alice);
    const card = await h.cardWithButton('run_approve');
    await h.click('run_approve', bob, card);
    // The raise done, so that the outage hits the wait, not the raise's read-back.
    await eventually(
      async () => (await lastRun(h)).steps.find((s) => s.id === 'raise-recovery-throttle')?.status === 'done',
      'the raise',
    );
    await esFault(h, { mode: 'status', status: 503 });
    return card;
  };

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

  test(
    'cancelled, then kept: the throttle is back before Revert or Keep is offered, which then covers only ' +
      "the node's exclusion; no alarm",
    async () => {
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
      const offer = await h.cardWithButton('run_keep');
      // Unset before the run, unset again: restored with no approval, before the offer was made.
      expect(await persistent(h)).toEqual({ [EXCLUDE]: '172.31.0.39' });
      const cancelled = await lastRun(h);
      expect(cancelled.status).toBe('cancelled');
      expect(cancelled.undoOffer?.undoable).toEqual(['move-shards-off']);
      expect(cancelled.steps.find((s) => s.id === 'raise-recovery-throttle')?.status).toBe('undone');
      expect(h.cardText(offer)).not.toContain('still RAISED');
      // The card's step list keeps the restore that ran, after the steps it stopped.
      expect(h.cardText(offer)).toMatch(
        /:rewind: Raise the recovery throttle[^\n]*\n(.*\n)*:white_check_mark: Restore the recovery throttle/,
      );
      await h.click('run_keep', alice, offer);
      await eventually(async () => (await lastRun(h)).undoOffer?.decided?.choice === 'keep', 'the keep');
      expect((await lastRun(h)).endAlarms ?? []).not.toContain('recovery-throttle-raised');
      expect(h.proxy.settingsWrites().slice(-1)).toEqual([
        { persistent: { [RATE]: null, [INCOMING]: null, [OUTGOING]: null } },
      ]);
      expect(h.threadTexts(card.ts).some((t) => t.includes('Restore the recovery throttle'))).toBe(true);
    },
  );

  test(
    'ES unreachable mid-drain: the run fails; the throttle is restored once ES answers again, before the ' +
      'failure is announced with Revert for the rest',
    async () => {
      const h = await fastHarness({ speed: 0.01, retry: { baseMs: 100, maxMs: 200, giveUpAfterMs: 5_000 } });
      const card = await outageAfterRaise(h);
      // The wait gives up; the run is stopping, its restore retrying against the same outage.
      await eventually(async () => (await lastRun(h)).stopping?.status === 'failed', 'the run stopping', 20_000);
      expect(h.threadTexts(card.ts).some((t) => t.includes('the run failed'))).toBe(false);
      await eventually(
        () =>
          h
            .cardText(h.view.card(card.ts)!)
            .includes(':x: Failed; before it stops: *Restore the recovery throttle* (always done when a run stops'),
        'the card saying the restore comes first',
        10_000,
      );
      await esFault(h, { mode: 'none' });
      const failure = await eventually(
        () => h.threadTexts(card.ts).find((t) => t.includes('the run failed')),
        'the failure announced',
        20_000,
      );
      expect(failure).toContain('Wait while ES moves the shards of the node');
      expect(failure).toContain('HTTP 503');
      const run = await lastRun(h);
      expect(run.status).toBe('failed');
      expect(run.undoOffer?.undoable).toEqual(['move-shards-off']);
      expect(await persistent(h)).toEqual({ [EXCLUDE]: '172.31.0.39' });
      expect(run.endAlarms ?? []).not.toContain('recovery-throttle-raised');
    },
  );

  test(
    'ES gone for good: the restore cannot happen either; the run fails saying both, the card alarms with ' +
      'the exact way back, and Revert still offers the restore',
    async () => {
      const h = await fastHarness({ speed: 0.01, retry: { baseMs: 100, maxMs: 200, giveUpAfterMs: 1_500 } });
      const card = await outageAfterRaise(h);
      await eventually(async () => (await lastRun(h)).status === 'failed', 'the run to fail', 20_000);
      const run = await lastRun(h);
      expect(run.error).toMatch(/HTTP 503.*; then Restore the recovery throttle failed: .*HTTP 503/s);
      expect(run.undoOffer?.undoable).toEqual(['raise-recovery-throttle', 'move-shards-off']);
      expect(run.endAlarms).toContain('recovery-throttle-raised');
      const text = await eventually(() => {
        const t = h.cardText(h.view.card(card.ts)!);
        return t.includes('Recovery throttle still RAISED on cluster local') ? t : undefined;
      }, 'the alarm on the card');
      expect(text).toContain(
        '`PUT _cluster/settings {"persistent": {"indices.recovery.max_bytes_per_sec":null,' +
          '"cluster.routing.allocation.node_concurrent_incoming_recoveries":null,' +
          '"cluster.routing.allocation.node_concurrent_outgoing_recoveries":null}}`',
      );
      await esFault(h, { mode: 'none' });
      expect((await persistent(h))[RATE]).toBe('200mb');
    },
  );

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
