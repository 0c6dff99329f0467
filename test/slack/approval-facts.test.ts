import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { SERVICE_PROGRAM } from '../../src/sim/activedata/index.js';
import { depthBand } from '../../src/runbooks/etl-backfill/backfill-facts.js';
import { allRunbooks, type RunbookDeps } from '../../src/runbooks/index.js';
import { eventually } from '../support/wait.js';
import { alice, bob, carol, startServiceHarness, type ServiceHarness } from '../activedata/service-fixture.js';

const pidOf = (h: ServiceHarness) => /pid (\d+)/.exec(h.frontend.supervisorctl('status', SERVICE_PROGRAM).stdout)?.[1];

describe('every runbook binds its approval to facts (issue 17.1)', () => {
  test('each runbook the engine can run declares the facts its card shows that matter', () => {
    // Building the runbooks reads no deps: only their steps and facts do, when called.
    const runbooks = allRunbooks({} as RunbookDeps);
    expect(runbooks.filter((r) => !r.facts).map((r) => r.name)).toEqual([]);
  });

  test('a queue depth is compared by order of magnitude: workers taking messages is not a new plan', () => {
    expect([0, 1, 9, 10, 99, 100, 4_321, 12_000].map(depthBand)).toEqual([
      'empty',
      '1–9 messages',
      '1–9 messages',
      '10–99 messages',
      '10–99 messages',
      '100–999 messages',
      '1,000–9,999 messages',
      '10,000–99,999 messages',
    ]);
  });
});

describe('/activedata restart: head commit and supervisor state, read again before the step', () => {
  let h: ServiceHarness;
  beforeAll(async () => {
    h = await startServiceHarness();
  });
  afterAll(async () => {
    await h?.close();
  });

  test(
    'someone stops the service by hand after the card was drawn: the approval is void, nothing is ' +
      'sent, the card asks again naming the change; approved again, it restarts',
    async () => {
      const A = h.frontend.head();
      await h.command('restart', alice);
      const card = await h.cardWithButton('run_approve');
      const run = (await h.stack.bot.engine.listRuns())[0]!;
      expect(run.planFacts).toEqual({
        'head commit': A,
        supervisor: `${SERVICE_PROGRAM} RUNNING`,
      });
      h.frontend.supervisorctl('stop', SERVICE_PROGRAM);
      await h.click('run_approve', bob, card);
      const changed = await eventually(
        () => h.threadTexts(card.ts).find((t) => t.includes('plan changed')),
        'the plan-changed reply',
      );
      expect(changed).toContain(`supervisor: ${SERVICE_PROGRAM} RUNNING → ${SERVICE_PROGRAM} STOPPED`);
      await eventually(
        async () => (await h.stack.bot.engine.getRun(run.id))?.status === 'awaiting_approval',
        'a new approval request',
      );
      expect(pidOf(h)).toBeUndefined(); // nothing started on the old approval
      await h.click('run_approve', carol, await h.cardWithButton('run_approve'));
      await eventually(
        async () => (await h.stack.bot.engine.getRun(run.id))?.status === 'succeeded',
        'the restart on the new approval',
        20_000,
      );
      expect(pidOf(h)).toBeDefined();
      expect(h.frontend.head()).toBe(A);
    },
  );
});
