import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, test } from 'vitest';
import { eventually } from '../support/wait.js';
import { bob, startDeployWorld, type DeployWorld } from './deploy-fixture.js';

describe('/etl deploy, step 8: following SpotManager as it comes up', () => {
  let d: DeployWorld;
  afterEach(async () => {
    await d?.close();
  });

  test(
    'a budget too small: "Can not fund" is in the thread, with the budget to ask for, after one SpotManager ' +
      'run; the budget it names lets the next run fund the rest',
    async () => {
      d = await startDeployWorld({ settings: { budget: '0.05' } });
      const { s, w } = d;
      await d.deployToWatch();
      await w.fillQueue('active-data-etl', 30);
      await w.tick(); // one SpotManager run
      const advice = await eventually(
        async () => (await d.thread()).find((t) => t.includes('Can not fund')),
        'the Can not fund advice in the thread',
        5_000,
      );
      expect(advice).toContain(
        ':warning: SpotManager says `Can not fund 1.0 more utility (all utility costs more than $0.03/hour).  ' +
          'Remaining budget is $0.02`: the budget is too small for the work queue. Raise it to at least ' +
          '$0.08/hour: `/etl budget 0.08`',
      );
      // The progress card's figures (fields) as Slack gets them, once the watch has seen the whole run.
      const figures = [
        '*Errors*\\n:warning: 1, last',
        '*Exposure vs budget*\\n$0.0319/hour bid of $0.05/hour',
        '*Utility*\\n0 running; need 3 more',
        '*Instances*\\nrequested ',
        '*ETL queue*\\nactive-data-etl: 30 waiting',
      ];
      await eventually(
        () => {
          const card = JSON.stringify(s.stack.slack.messages('C0OPS')[0]!.blocks);
          return figures.every((f) => card.includes(f));
        },
        `the card to show ${figures.join(', ')}`,
      );
      // Still watching: between two looks (waiting), or in one (running) when the worker re-checks now.
      const watching = await d.run();
      expect(watching.cursor).toBe('confirm-nothing-blows-up');
      expect(['waiting', 'running']).toContain(watching.status);

      // The advice taken: with the budget it named, SpotManager's next run funds what it could not.
      await s.command('/etl', 'budget 0.08');
      await s.click('run_approve', bob, await s.message('Increase the ETL budget'));
      await eventually(async () => (await w.targets.spotManager().readSettings()).budget === 0.08, 'the new budget');
      await w.tick();
      await eventually(
        async () => (await w.targets.fleet.listEtlInstances()).requests.length === 2,
        'the second request',
      );
      expect(
        readFileSync(w.host.logPath, 'utf8')
          .trim()
          .split('\n')
          .filter((l) => l.includes('Can not fund')),
      ).toHaveLength(1);
      expect((await d.thread()).filter((t) => t.includes('Can not fund'))).toHaveLength(1);
    },
    60_000,
  );
});
