import { afterEach, describe, expect, test } from 'vitest';
import { alice, bob, startDrainHarness, type DrainHarness } from '../support/drain-fixture.js';
import { eventually } from '../support/wait.js';
import { TEAM_READS } from '../support/read-policy.js';

const ENABLE = 'cluster.routing.allocation.enable';

describe('a drain in trouble', () => {
  let h: DrainHarness;
  afterEach(async () => {
    await h?.close();
  });

  test(
    'shard movement disabled: the plan warns, the drain stalls, the thread explains why and asks ' +
      'Keep waiting or Cancel and revert',
    async () => {
      h = await startDrainHarness({ drainTiming: { pollMs: 100, stallAfterMs: 400 } });
      await h.es.cluster.putSettings({ persistent: { [ENABLE]: 'none' } });
      await h.driver.command('/es', 'drain node-3', alice);
      const card = await h.cardWithButton('run_approve');
      expect(h.cardText(card)).toContain(
        `${ENABLE} is "none": shards will not move until shard movement is enabled again`,
      );
      await h.click('run_approve', bob, card);
      const stall = await eventually(
        () => h.threadTexts(card.ts).find((t) => t.includes('stalled')),
        'the stall reply',
        15_000,
      );
      expect(stall).toMatch(/stalled: no bytes moved off node-3 for \d+s \(\d+ shards, /);
      // ES's own explanation of one shard still on the node, with the decider that said no.
      expect(stall).toMatch(/`(unittest|jobs)20160101_000000\[\d+\]( \(primary\))?`: /);
      expect(stall).toContain('[enable]');
      // The person chooses: the card offers both ways.
      const asking = await h.cardWithButton('run_cancel_revert');
      expect(h.cardText(asking)).toContain('Keep waiting');
      // Movement enabled again, Keep waiting: the same run finishes.
      await h.es.cluster.putSettings({ persistent: { [ENABLE]: null } });
      await h.click('run_resume', alice, asking);
      await eventually(
        () => h.threadTexts(card.ts).find((t) => t.includes('node-3 is empty: safe to stop')),
        'the drain to finish',
        30_000,
      );
      expect(h.threadTexts(card.ts).filter((t) => t.includes('stalled'))).toHaveLength(1);
      expect(h.threadTexts(card.ts).some((t) => t.includes('chose to keep waiting'))).toBe(true);
    },
  );

  test(
    'someone removes the exclusion mid-drain: the drain stops to ask, names the setting, ' +
      'and Re-apply puts back only its own entry',
    async () => {
      // Simulated time stands still: the drain cannot finish before the other writer's change lands.
      h = await startDrainHarness({ speed: 0, drainTiming: { pollMs: 100, stallAfterMs: 60_000 } });
      await h.driver.command('/es', 'drain node-3', alice);
      const card = await h.cardWithButton('run_approve');
      await h.click('run_approve', bob, card);
      const key = 'cluster.routing.allocation.exclude._ip';
      // Once the write is done and read back (earlier, the bot's merge-safe write re-adds its entry).
      await eventually(
        async () => ((await h.stack.bot.engine.listRuns())[0]?.steps[1]?.attempts ?? 0) >= 1,
        'the drain to be waiting',
      );
      // Another operator "cleans up" the list, keeping an entry of their own.
      await h.es.cluster.putSettings({ persistent: { [key]: '10.9.9.9' } });
      const asked = await eventually(
        () => h.threadTexts(card.ts).find((t) => t.includes('someone removed')),
        'the question in the thread',
      );
      expect(asked).toContain(key);
      expect(asked).toContain('10.9.9.9');
      const asking = await h.cardWithButton('run_cancel_revert');
      expect(h.cardText(asking)).toContain('Re-apply and continue');
      await h.click('run_resume', alice, asking);
      await eventually(() => h.threadTexts(card.ts).find((t) => t.includes('re-applied')), 'the re-apply reply');
      const s = await h.es.cluster.getSettings({ flat_settings: true });
      const list = String((s.persistent as Record<string, string>)[key]).split(',');
      expect(list[0]).toBe('10.9.9.9'); // their entry kept
      expect(list).toHaveLength(2);
      h.stack.es.setSpeed(200);
      await eventually(
        () => h.threadTexts(card.ts).find((t) => t.includes('node-3 is empty: safe to stop')),
        'the drain to finish',
        30_000,
      );
    },
  );

  test('transient enable: none mid-drain: Cancel and revert stops the run and undoes its own write', async () => {
    // Simulated time stands still: the drain cannot finish before the other writer's change lands.
    h = await startDrainHarness({ speed: 0, drainTiming: { pollMs: 100, stallAfterMs: 60_000 } });
    await h.driver.command('/es', 'drain node-3', alice);
    const card = await h.cardWithButton('run_approve');
    await h.click('run_approve', bob, card);
    const key = 'cluster.routing.allocation.exclude._ip';
    await eventually(async () => {
      const s = await h.es.cluster.getSettings({ flat_settings: true });
      return String((s.persistent as Record<string, string>)[key] ?? '').length > 0;
    }, 'the exclusion written');
    await h.es.cluster.putSettings({ transient: { [ENABLE]: 'none' } });
    const asked = await eventually(
      () => h.threadTexts(card.ts).find((t) => t.includes(`${ENABLE}\` is now \`none\` (transient)`)),
      'the question in the thread',
    );
    expect(asked).toContain('Cancel and revert');
    const asking = await h.cardWithButton('run_cancel_revert');
    await h.click('run_cancel_revert', alice, asking);
    // The undo is a change to the cluster too: a second person approves it, as any other.
    const undo = await h.cardWithButton('run_approve');
    expect(h.cardText(undo)).toContain('Allow allocation back to node');
    await h.click('run_approve', bob, undo);
    await eventually(async () => (await h.stack.bot.engine.listRuns())[0]?.status === 'reverted', 'the revert');
    expect(h.threadTexts(card.ts).some((t) => t.includes('Revert or keep'))).toBe(false); // already chosen
    const s = await h.es.cluster.getSettings({ flat_settings: true });
    expect((s.persistent as Record<string, string>)[key]).toBeUndefined(); // its own write undone
    // Not this run's: the transient setting someone else wrote is left alone.
    expect((s.transient as Record<string, string>)[ENABLE]).toBe('none');
  });

  test('ES answering 503 for a while: one warning, the run waits and completes, never done early', async () => {
    h = await startDrainHarness({ speed: 10, retry: { baseMs: 100, maxMs: 300, giveUpAfterMs: 60_000 } });
    await h.driver.command('/es', 'drain node-3', alice);
    const card = await h.cardWithButton('run_approve');
    await h.click('run_approve', bob, card);
    await eventually(
      async () => ((await h.stack.bot.engine.listRuns())[0]?.steps[1]?.attempts ?? 0) >= 2,
      'the wait step to be polling',
    );
    await fetch(`${h.stack.es.url}/_sim/faults`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ mode: 'status', status: 503, durationMs: 1500 }),
    });
    const warning = await eventually(() => h.threadTexts(card.ts).find((t) => t.includes('503')), 'the outage warning');
    expect(warning).toContain(':warning:');
    const during = (await h.stack.bot.engine.listRuns())[0]!;
    expect(during.status).not.toBe('succeeded');
    h.stack.es.setSpeed(100);
    await eventually(
      () => h.threadTexts(card.ts).find((t) => t.includes('node-3 is empty: safe to stop')),
      'the drain to finish',
      30_000,
    );
    expect(h.threadTexts(card.ts).filter((t) => t.includes('503'))).toHaveLength(1);
  });

  test('/ops cancel stops a run at a safe point and offers the revert; /ops jobs and /ops audit show it', async () => {
    h = await startDrainHarness({ speed: 0.01, policy: TEAM_READS });
    await h.driver.command('/es', 'drain node-3', alice);
    const card = await h.cardWithButton('run_approve');
    await h.click('run_approve', bob, card);
    const [run] = await eventually(async () => {
      const r = await h.stack.bot.engine.listRuns();
      return r[0]?.steps[0]?.status === 'done' ? r : undefined;
    }, 'the setting written');
    await h.driver.command('/ops', `cancel ${run!.id}`, alice);
    await h.cardWithButton('run_revert');
    await h.driver.command('/ops', 'jobs', alice);
    const jobs = await eventually(
      () => h.ephemeralTexts(alice.user_id).find((t) => t.includes(run!.id) && t.includes('cancelled')),
      'the jobs list',
    );
    expect(jobs).toContain('Drain node-3 (172.31.0.39) on local');
    expect(jobs).toContain('approved: <@U0BOB>');
    await h.driver.command('/ops', `audit 50 --run ${run!.id}`, alice);
    const audit = await eventually(
      () => h.ephemeralTexts(alice.user_id).find((t) => t.includes('audit entries of run')),
      'the audit log',
    );
    const rows = h.view
      .ephemerals(alice.user_id)
      .map((e) => JSON.stringify(e.blocks))
      .join('\n');
    expect(audit).toContain(run!.id);
    for (const type of ['created', 'approval_requested', 'approved', 'step_done', 'cancelled'])
      expect(rows).toContain(type);
    expect(rows).toContain('U0BOB');
  });
});
