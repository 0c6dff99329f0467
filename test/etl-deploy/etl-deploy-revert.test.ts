import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { eventually } from '../support/wait.js';
import { alice, bob, startDeployWorld, type DeployWorld } from './deploy-fixture.js';

describe('/etl deploy: Revert after step 7 takes the new code off the fleet, as one approved step', () => {
  let d: DeployWorld;
  beforeAll(async () => {
    d = await startDeployWorld();
  });
  afterAll(async () => {
    await d?.close();
  });

  test(
    'cancelled while watching: Revert stops SpotManager, terminates the instances started since step 7, ' +
      'moves etl back and starts SpotManager, with one approval by a second person',
    async () => {
      const { s, w } = d;
      const oldEtl = d.repo.head('etl')!;
      const cronBefore = readFileSync(w.host.cronFile, 'utf8');
      await d.deployToWatch();
      // SpotManager, started by step 7, requests instances for the work: they run the new code.
      await w.fillQueue('active-data-etl', 30);
      await d.tickUntil(
        async () => (await w.targets.fleet.listEtlInstances()).members.some((m) => m.instanceId),
        'an instance launched since step 7',
      );
      const started = (await w.targets.fleet.listEtlInstances()).members.map((m) => m.instanceId!).filter(Boolean);
      expect(started.length).toBeGreaterThan(0);

      await s.click('run_cancel', alice, await s.cardWithButton('run_cancel'));
      await eventually(async () => (await d.run()).status === 'cancelled', 'the cancel');
      const offer = s.text(await s.cardWithButton('run_revert'));
      expect(offer).toContain(
        '*Revert would*, as one approved step:\n' +
          '1. Stop SpotManager (its ETL cron line disabled again, its log quiet)\n' +
          '2. Terminate the ETL instances started since step 7 (they run the new code) ' +
          "and cancel their spot requests (at step 8's last look: requested ",
      );
      expect(offer).toMatch(
        /→ set up \d+\)\n3\. Move `etl` back: [0-9a-f]{7} → [0-9a-f]{7}\n4\. Start SpotManager \(exactly the cron line the bot disabled\)/,
      );
      expect(offer).toContain(`Move \`etl\` back: ${d.commit.slice(0, 7)} → ${oldEtl.slice(0, 7)}`);

      await s.click('run_revert', alice, await s.cardWithButton('run_revert'));
      const undo = await s.cardWithButton('run_approve');
      expect(s.text(undo)).toContain('Waiting for approval of *Revert the deploy and start SpotManager*');
      await s.click('run_approve', alice, undo);
      await s.ephemeral('a second person must approve');
      await s.click('run_approve', bob, undo);
      await eventually(async () => (await d.run()).status === 'reverted', 'the revert', 20_000).catch(
        async (e: Error) => {
          throw new Error(
            `${e.message}: ${JSON.stringify((await d.run()).undoSteps)} ${JSON.stringify((await d.run()).status)}`,
          );
        },
      );

      const run = await d.run();
      expect(run.undoSteps.map((x) => [x.id, x.status])).toEqual([['undo-start-spotmanager', 'done']]);
      expect(run.approvals.filter((a) => a.step === 'undo-start-spotmanager').map((a) => a.by)).toEqual([bob.user_id]);
      expect(d.repo.head('etl')).toBe(oldEtl);
      expect(readFileSync(w.host.cronFile, 'utf8')).toBe(cronBefore);
      const states = await w.targets.fleet.instanceStates(started);
      expect(started.map((id) => states.get(id) ?? 'terminated')).toEqual(started.map(() => 'terminated'));
      expect((await w.targets.fleet.listEtlInstances()).requests).toEqual([]);
      const thread = (await d.thread()).join('\n');
      for (const line of [
        ':white_check_mark: Stop SpotManager: ETL cron line disabled in',
        ':white_check_mark: Terminate the ETL instances started since step 7: ',
        `:white_check_mark: Move \`etl\` back: origin/etl: ${d.commit.slice(0, 7)} → ${oldEtl.slice(0, 7)}`,
        ':white_check_mark: Start SpotManager: ETL cron line restored in',
      ])
        expect(thread).toContain(line);
    },
    60_000,
  );
});
