import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { afterEach, describe, expect, test } from 'vitest';
import { pushUpstream } from '../../src/sim/spotmanager/index.js';
import { eventually } from '../support/wait.js';
import { alice, bob, startDeployWorld, type DeployWorld } from './deploy-fixture.js';

describe('/etl deploy: the ten-step ETL production deployment in one thread', () => {
  let d: DeployWorld;
  afterEach(async () => {
    await d?.close();
  });

  test(
    'plan → approvals by bob at steps 1, 2 and 5 → Confirmed → SpotManager comes up → "nothing blew up"; one ' +
      'thread with every step',
    async () => {
      d = await startDeployWorld();
      const { s, w } = d;
      const oldEtl = d.repo.head('etl')!;
      const cronBefore = readFileSync(w.host.cronFile, 'utf8');
      // SpotManager's beta gained a change upstream, while its host carries a local budget edit.
      const settings = readFileSync(w.host.settingsPath, 'utf8');
      pushUpstream(
        w.host,
        'examples/config/etl_settings.json',
        settings.replace('"max_new_utility": 30,', '"max_new_utility": 40,'),
        'beta: more new utility a run',
      );
      writeFileSync(w.host.settingsPath, settings.replace('"budget": 1.00,', '"budget": 1.20,'));

      // A developer's earlier try left a table instance without its alias: the runbook's "similar names".
      await d.es.indices.create({ index: 'perf20160114_235959' });
      await s.command('/etl', `deploy ${d.commit.slice(0, 10)}`);
      const card = await d.awaiting('Stop SpotManager');
      const plan = s.text(card);
      expect(plan).toContain(`Deploy the ETL: etl ${oldEtl.slice(0, 7)} → ${d.commit.slice(0, 7)} (1 commit)`);
      expect(plan).toContain('New pipeline: perfherder results to the perf table');
      expect(plan).toMatch(/ETL instances to terminate\* \(step 2\): 2/);
      expect(plan).toMatch(/i-[0-9a-f]+\s+c4\.xlarge\s+us-west-2c\s+setup\s+0\.048/);
      expect(plan).toContain(':new: active-data-index-perfherder');
      expect(plan).toContain(':white_check_mark: active-data-etl');
      expect(plan).toContain(':new: active-data-perfherder');
      expect(plan).toContain(':white_check_mark: ekyle-test-result');
      expect(plan).toContain(':new: perf :warning: 1 without alias · :white_check_mark: unittest');
      expect(plan).toContain('enabled · budget $1.20/hour');

      // Step 1: a second person approves; the requester cannot.
      await s.click('run_approve', alice, card);
      await s.ephemeral('a second person must approve');
      await d.approve('Stop SpotManager');
      // Step 2 waits for its own approval, with the ids in the thread.
      await d.awaiting('Terminate all ETL instances');
      expect(readFileSync(w.host.cronFile, 'utf8')).toContain('#opsbot-stopped# */10 * * * *');
      expect((await d.thread()).join('\n')).toMatch(/will terminate 2: i-[0-9a-f]+ \(c4\.xlarge, setup\)/);
      expect(s.text(await s.cardWithButton('run_approve'))).toContain('SpotManager is stopped by this run');
      await w.tick(); // cron runs: the stopped SpotManager does not
      expect(existsSync(w.host.logPath)).toBe(false);

      await d.approve('Terminate all ETL instances');
      // Step 4 pauses for a person; the bot's checks are in the thread.
      await eventually(async () => (await d.run()).status === 'paused', 'the development-run pause', 20_000);
      expect((await w.targets.fleet.listEtlInstances()).members).toEqual([]);
      expect((await w.targets.queues.queueDepth('active-data-index-perfherder')).exists).toBe(true);
      expect(await w.targets.buckets.exists('active-data-perfherder')).toBe(true);
      const checks = (await d.thread()).find((t) => t.includes('What the bot can see of the development run'))!;
      expect(checks).toContain(':warning: table *perf*: no index perfYYYYMMDD_HHMMSS carries the alias yet');
      expect(checks).toContain(
        ':warning: table *perf*: 1 similar-name index(es) without the alias (the runbook\'s "multiple table ' +
          'instances"): perf20160114_235959.',
      );
      expect(checks).toContain(
        ':warning: queue *active-data-index-perfherder* is empty: no sign the development run used it',
      );
      expect(checks).toContain(':white_check_mark: table *unittest*: unittest20160101_000000 has the alias');
      await d.developmentRun();
      await s.click('run_resume', alice, await s.cardWithButton('run_resume'));

      // Step 5: the push waits for bob; nothing moved before.
      await d.awaiting('Push code to `etl` branch');
      expect(d.repo.head('etl')).toBe(oldEtl);
      await d.approve('Push code to `etl` branch');

      // Steps 6-8 run on: SpotManager pulled, started, watched while cron runs it.
      await eventually(async () => (await d.run()).cursor === 'confirm-nothing-blows-up', 'the watch to begin', 20_000);
      expect(d.repo.head('etl')).toBe(d.commit);
      expect(readFileSync(w.host.cronFile, 'utf8')).toBe(cronBefore);
      // The pull brought beta's change and kept the local budget, with no conflict left in the checkout.
      const pulled = readFileSync(w.host.settingsPath, 'utf8');
      expect(pulled).toContain('"max_new_utility": 40,');
      expect(pulled).toContain('"budget": 1.20,');
      expect(execFileSync('git', ['-C', w.host.dir, 'diff', '--name-only'], { encoding: 'utf8' }).trim()).toBe(
        'examples/config/etl_settings.json',
      );
      await w.fillQueue('active-data-etl', 30);
      await d.tickUntil(
        async () => (await w.targets.fleet.listEtlInstances()).counts.running === 1,
        'an instance running',
      );
      await new Promise((r) => setTimeout(r, 250)); // the stand-in sets up instances that ran 200 ms
      await d.tickUntil(async () => (await d.run()).status === 'succeeded', 'the deploy to succeed');

      const run = await d.run();
      expect(run.steps.map((x) => [x.id, x.status, x.attempts > 0])).toEqual([
        ['stop-spotmanager', 'done', true],
        ['terminate-etl-instances', 'done', true],
        ['create-buckets-and-queues', 'done', true],
        ['confirm-development-run', 'done', true],
        ['push-etl-branch', 'done', true],
        ['pull-spotmanager', 'done', true],
        ['start-spotmanager', 'done', true],
        ['confirm-nothing-blows-up', 'done', true],
      ]);
      expect(run.approvals.map((a) => [a.step, a.by])).toEqual([
        ['stop-spotmanager', bob.user_id],
        ['terminate-etl-instances', bob.user_id],
        ['push-etl-branch', bob.user_id],
      ]);
      // The run is saved as succeeded before its final reply is posted: wait for that reply.
      const thread = await eventually(async () => {
        const t = (await d.thread()).join('\n');
        return t.includes(':tada:') ? t : undefined;
      }, 'the final reply in the thread');
      for (const line of [
        ':white_check_mark: *Stop SpotManager* — ETL cron line disabled in',
        ':white_check_mark: *Terminate all ETL instances* — 2 ETL instance(s) terminated: i-',
        ':white_check_mark: *Create S3 buckets and queues* — created: queue active-data-index-perfherder, ' +
          'bucket active-data-perfherder; already there (left alone): queue active-data-etl',
        ':white_check_mark: *Use development run ETL and confirm use of buckets and queues, and confirm creation of ' +
          `new tables in production* — confirmed by <@${alice.user_id}>`,
        ':white_check_mark: *Push code to `etl` branch* — ' +
          `origin/etl: ${oldEtl.slice(0, 7)} → ${d.commit.slice(0, 7)} (1 commit)`,
        ':white_check_mark: *Pull SpotManager changes (on `beta` branch) to its instance* — ',
        '; the local budget edit ($1.20/hour) was kept',
        ':white_check_mark: *Start SpotManager* — ETL cron line restored in',
        ':tada: nothing blew up: 1 ETL instance(s) set up, $0.0528/hour bid of the $1.20/hour budget, ' +
          'active-data-etl: 30 waiting, 0 in flight',
      ])
        expect(thread).toContain(line);
      // One card, one thread.
      expect(s.stack.slack.messages('C0OPS')).toHaveLength(1);
      const doneCard = await s.cardWithButton('run_etl_backfill');
      const done = s.text(doneCard);
      expect(done).toContain('*9. Run the backfill, if desired* · *10. Increase SpotManager budget, if desired*');
      expect(done).not.toContain('STOPPED');

      // Steps 9 and 10, "if desired": the buttons start them as whoever presses, as if typed.
      await d.putObject('ekyle-pulse-logger', 'tc.7');
      await s.click('run_etl_backfill', alice, doneCard);
      const backfill = await s.message('Backfill 1 key(s) of ekyle-pulse-logger onto active-data-etl');
      expect(s.text(backfill)).toContain('Waiting for approval of *Run the backfill*');
      await s.click('run_etl_budget', alice, doneCard);
      expect(await s.ephemeral('To raise the ETL budget')).toContain('It is $1.20/hour now; e.g. `/etl budget 1.80`');
      await s.message('ETL budget: $1.20/hour');
    },
    60_000,
  );
});
