import { afterEach, describe, expect, test } from 'vitest';
import { alice, bob, startDrainHarness, type DrainHarness } from '../support/drain-fixture.js';
import { eventually } from '../support/wait.js';

const ENABLE = 'cluster.routing.allocation.enable';

describe('a drain in trouble', () => {
  let h: DrainHarness;
  afterEach(async () => {
    await h?.close();
  });

  test('shard movement disabled: the plan warns, the drain stalls and the thread explains why', async () => {
    h = await startDrainHarness({ drainTiming: { pollMs: 100, stallAfterMs: 400 } });
    await h.es.cluster.putSettings({ persistent: { [ENABLE]: 'none' } });
    await h.driver.command('/es', 'drain node-3', alice);
    const card = await h.cardWithButton('run_approve');
    expect(h.cardText(card)).toContain(
      `${ENABLE} is "none": shards will not move until shard movement is enabled again`,
    );
    await h.click('run_approve', bob, card);
    const stall = await eventually(
      () => h.threadTexts(card.ts).find((t) => t.includes('Stalled')),
      'the stall reply',
      15_000,
    );
    expect(stall).toMatch(/Stalled: no bytes moved off node-3 for \d+s\./);
    // ES's own explanation of one shard still on the node, with the decider that said no.
    expect(stall).toMatch(/`(unittest|jobs)20160101_000000\[\d+\]( \(primary\))?`: /);
    expect(stall).toContain('[enable]');
    // Movement enabled again: the same run finishes.
    await h.es.cluster.putSettings({ persistent: { [ENABLE]: null } });
    await eventually(
      () => h.threadTexts(card.ts).find((t) => t.includes('node-3 is empty: safe to stop')),
      'the drain to finish',
      30_000,
    );
    expect(h.threadTexts(card.ts).filter((t) => t.includes('Stalled'))).toHaveLength(1);
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
    h = await startDrainHarness({ speed: 0.01 });
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
