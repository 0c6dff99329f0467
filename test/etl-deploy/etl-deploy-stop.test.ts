import { existsSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { eventually } from '../support/wait.js';
import { alice, bob, startDeployWorld, type DeployWorld } from './deploy-fixture.js';

describe('/etl deploy: SpotManager is never left stopped silently', () => {
  // One world for both: the first run ends reverted (SpotManager enabled, fleet and branch untouched),
  // as the second needs it.
  let d: DeployWorld;
  beforeAll(async () => {
    d = await startDeployWorld();
  });
  afterAll(async () => {
    await d?.close();
  });

  test(
    'cancel after step 1: the card says SpotManager is STOPPED and ' + 'offers Revert; the approved revert starts it',
    async () => {
      const { s, w } = d;
      const cronBefore = readFileSync(w.host.cronFile, 'utf8');
      await s.command('/etl', `deploy ${d.commit}`);
      await d.approve('Stop SpotManager');
      const card = await d.awaiting('Terminate all ETL instances');
      await s.click('run_cancel', alice, card);
      await eventually(async () => (await d.run()).status === 'cancelled', 'the cancel');
      const cancelled = s.text(await s.cardWithButton('run_revert'));
      expect(cancelled).toMatch(
        /:rotating_light: \*SpotManager is still STOPPED\* on \S+ \(its ETL cron line is disabled in \S+crontab on \S+\): no ETL instance will be requested\. Press \*Revert\* to run the approved \*Start SpotManager\*, or request `\/spot start`\./,
      );
      expect((await d.thread()).join('\n')).toContain('It changed: Stop SpotManager. Revert or keep, from the card.');
      expect((await w.targets.fleet.listEtlInstances()).members).toHaveLength(2); // step 2 never ran

      await s.click('run_revert', alice, await s.cardWithButton('run_revert'));
      const undo = await s.cardWithButton('run_approve');
      expect(s.text(undo)).toContain('Waiting for approval of *Start SpotManager*');
      expect(s.text(undo)).toContain('The revert runs the approved *Start SpotManager*.');
      await s.click('run_approve', alice, undo);
      await s.ephemeral('a second person must approve');
      await s.click('run_approve', bob, undo);
      await eventually(async () => (await d.run()).status === 'reverted', 'the revert');
      expect(readFileSync(w.host.cronFile, 'utf8')).toBe(cronBefore);
      const reverted = s.text(s.stack.slack.messages('C0OPS')[0]!);
      expect(reverted).not.toContain('STOPPED');
      expect(reverted).toContain(':rewind: Stop SpotManager');
      expect(reverted).toContain(':white_check_mark: Start SpotManager — ETL cron line restored in');
      await w.tick();
      expect(existsSync(w.host.logPath)).toBe(true); // cron runs SpotManager again
    },
  );

  test(
    'denied at step 2 (no revert offered): the card still says STOPPED and points at /spot start, which a ' +
      'second person approves',
    async () => {
      const { s, w } = d;
      await s.command('/etl', `deploy ${d.commit}`);
      await d.approve('Stop SpotManager');
      const card = await d.awaiting('Terminate all ETL instances');
      // Deny, as the Deny button's modal would (the requester may withdraw too).
      await s.stack.bot.engine.deny((await d.run()).id, bob.user_id, 'not today');
      await eventually(async () => (await d.run()).status === 'denied', 'the denial');
      const denied = s.text(s.view.card(card.ts)!);
      expect(denied).toContain(':rotating_light: *SpotManager is still STOPPED*');
      expect(denied).toContain('Request `/spot start` (a second person approves) to start it.');
      expect(denied).not.toContain('Revert');

      await s.command('/spot', 'start');
      const start = await s.message('Start SpotManager on');
      await s.click('run_approve', bob, start);
      await eventually(
        () => !readFileSync(w.host.cronFile, 'utf8').includes('#opsbot-stopped#'),
        'the cron line restored',
      );
      await s.command('/spot', 'start');
      expect(await s.ephemeral('SpotManager is already enabled')).toContain('Nothing to change.');
    },
  );
});
