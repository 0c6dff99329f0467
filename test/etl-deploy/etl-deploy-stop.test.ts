import { existsSync, readFileSync, writeFileSync } from 'node:fs';
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
      // Between steps 1 and 7 the deploy holds SpotManager: a start now would run it on the old ETL code.
      await s.command('/spot', 'start');
      expect(await s.ephemeral('Not started: the etl-spotmanager lock is held by run')).toContain(
        `run ${(await d.run()).id} (Deploy the ETL: etl `,
      );
      expect((await s.stack.bot.engine.listRuns()).filter((r) => r.runbook === 'spot.start')).toEqual([]);
      await s.click('run_cancel', alice, card);
      await eventually(async () => (await d.run()).status === 'cancelled', 'the cancel');
      const cancelled = s.text(await s.cardWithButton('run_revert'));
      expect(cancelled).toMatch(
        /:rotating_light: \*SpotManager is still STOPPED\* on \S+ \(its ETL cron line is disabled in \S+crontab on \S+\): no ETL instance will be requested\. Press \*Revert\* to run the approved \*Revert the deploy and start SpotManager\*, or request `\/spot start`\./,
      );
      expect((await d.thread()).join('\n')).toContain('It changed: Stop SpotManager. Revert or keep, from the card.');
      expect((await w.targets.fleet.listEtlInstances()).members).toHaveLength(2); // step 2 never ran

      await s.click('run_revert', alice, await s.cardWithButton('run_revert'));
      const undo = await s.cardWithButton('run_approve');
      expect(s.text(undo)).toContain('Waiting for approval of *Revert the deploy and start SpotManager*');
      expect(s.text(undo)).toContain('The revert runs the approved *Revert the deploy and start SpotManager*.');
      // Before step 5 nothing else was changed: the revert only starts SpotManager again.
      expect(s.text(undo)).toContain(
        '*The revert does*, as one approved step:\n1. Start SpotManager (exactly the cron line the bot disabled)',
      );
      await s.click('run_approve', alice, undo);
      await s.ephemeral('a second person must approve');
      await s.click('run_approve', bob, undo);
      await eventually(async () => (await d.run()).status === 'reverted', 'the revert');
      expect(readFileSync(w.host.cronFile, 'utf8')).toBe(cronBefore);
      const reverted = s.text(s.stack.slack.messages('C0OPS')[0]!);
      expect(reverted).not.toContain('STOPPED');
      expect(reverted).toContain(':rewind: Stop SpotManager');
      expect(reverted).toContain(
        ':white_check_mark: Revert the deploy and start SpotManager — Start SpotManager: ETL cron line restored in',
      );
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

      // Meanwhile someone disabled a second SpotManager instance by hand: it must stay off.
      const second = '#*/10 * * * * ~/SpotManager-2/examples/scripts/run_etl.sh';
      writeFileSync(w.host.cronFile, `${readFileSync(w.host.cronFile, 'utf8')}${second}\n`);
      const stopped = readFileSync(w.host.cronFile, 'utf8');
      await s.command('/spot', 'start');
      const start = await s.message('Start SpotManager on');
      const plan = s.text(start);
      expect(plan).toMatch(
        /\*Restores\* in \S+crontab on \S+ \(disabled by the bot\):\nline 2: `\*\/10 \* \* \* \* \S+run_etl\.sh`/,
      );
      expect(plan).toContain(`:warning: *Left alone* (commented out, but not by the bot):\nline 4: \`${second}\``);
      await s.click('run_approve', bob, start);
      await eventually(
        () => !readFileSync(w.host.cronFile, 'utf8').includes('#opsbot-stopped#'),
        'the cron line restored',
      );
      expect(readFileSync(w.host.cronFile, 'utf8')).toBe(stopped.replace('#opsbot-stopped# ', ''));
      const thread = await eventually(async () => {
        const run = (await s.stack.bot.engine.listRuns()).find((r) => r.runbook === 'spot.start');
        const t = run?.message ? s.threadTexts(run.message.ts).join('\n') : '';
        return t.includes('Left alone') ? t : undefined;
      }, 'the thread to name the line left alone');
      expect(thread).toContain('Left alone in ');
      expect(thread).toContain(`line 4: \`${second}\``);
      expect(thread).toContain('but not by this run: it may be disabled on purpose, or be a second instance');
      await s.command('/spot', 'start');
      expect(await s.ephemeral('SpotManager is already enabled')).toContain('Nothing to change.');
    },
  );

  test('/spot start never restores a line only commented out by hand: refused, nothing changed', async () => {
    const { s, w } = d;
    const byHand = readFileSync(w.host.cronFile, 'utf8').replace(/^(\*\/10 \S+ \S+ \S+ \S+ \S+run_etl\.sh)$/m, '# $1');
    expect(byHand).toContain('# */10');
    writeFileSync(w.host.cronFile, byHand);
    await s.command('/spot', 'start');
    expect(await s.ephemeral('is commented out, but not by the bot')).toContain(
      'Restore the line by hand if SpotManager should run; nothing was changed.',
    );
    expect(readFileSync(w.host.cronFile, 'utf8')).toBe(byHand);
  });
});
