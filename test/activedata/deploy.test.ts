import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { SERVICE_PROGRAM } from '../../src/sim/activedata/index.js';
import { eventually } from '../support/wait.js';
import { alice, bob, carol, startServiceHarness, type ServiceHarness } from './service-fixture.js';

const short = (sha: string) => sha.slice(0, 7);
const pidOf = (h: ServiceHarness) => /pid (\d+)/.exec(h.frontend.supervisorctl('status', SERVICE_PROGRAM).stdout)?.[1];

/**
 * One test frontend for the file, used in order: deploy A → B, roll back to A; a release that
 * dies at start-up, reverted; local changes refused. Each test leaves the frontend serving A.
 */
describe('/activedata deploy and rollback against a real checkout and a real supervisord', () => {
  let h: ServiceHarness;
  let A: string;
  beforeAll(async () => {
    h = await startServiceHarness();
    A = h.frontend.head();
  });
  afterAll(async () => {
    await h?.close();
  });

  test(
    'deploy: the plan lists what the pull brings; a second person approves; the checkout moves A → B, the ' +
      'service restarts on B; rollback returns to A',
    async () => {
      h.frontend.pushCommit('Faster jx queries');
      const B = h.frontend.pushCommit('Cache the schema per index');
      const pidBefore = pidOf(h);

      await h.command('deploy', alice);
      const card = await h.cardWithButton('run_approve');
      const plan = h.cardText(card);
      expect(plan).toContain(`Deploy ActiveData origin/master: ${short(A)} → ${short(B)} (2 commits)`);
      expect(plan).toContain('*Commits git pull origin master brings* (2)');
      expect(plan).toContain('Cache the schema per index');
      expect(plan).toContain('Faster jx queries');
      expect(plan).toMatch(/active_data RUNNING pid \d+/);
      expect(plan).toContain('On the frontend machine run git pull origin master');
      expect(plan).toContain('Use supervisor to restart service');

      await h.click('run_approve', alice, card);
      await eventually(
        () => h.ephemeralTexts(alice.user_id).some((t) => t.includes('a second person must approve')),
        'the self-approval refusal',
      );
      expect(h.frontend.head()).toBe(A);

      await h.click('run_approve', bob, card);
      const thread = await h.threadWith(card, `Deployed ${short(A)} → ${short(B)}`);
      expect(
        thread.some((t) =>
          t.includes(
            '*On the frontend machine run git pull origin master* — ' +
              `${short(A)} → ${short(B)} (2 commits, fast-forward)`,
          ),
        ),
      ).toBe(true);
      expect(
        thread.some((t) =>
          t.includes(
            '*Use supervisor to restart service* — supervisorctl restart active_data: active_data: stopped, ' +
              'active_data: started',
          ),
        ),
      ).toBe(true);
      const done = thread.find((t) => t.includes('Deployed'))!;
      expect(done).toContain(`/activedata rollback ${short(A)}`);
      expect(done).toContain('approved by <@U0BOB>');
      expect(h.frontend.head()).toBe(B);
      expect((await h.frontend.version())?.commit).toBe(B);
      expect(pidOf(h)).not.toBe(pidBefore);

      await h.command(`rollback ${short(A)}`, alice);
      const back = await eventually(
        () => h.cards().find((m) => m.ts !== card.ts && h.view.hasButton(m, 'run_approve')),
        'the rollback card',
      );
      expect(h.cardText(back)).toContain(`Roll back ActiveData: ${short(B)} → ${short(A)} (2 commits taken away)`);
      await h.click('run_approve', carol, back);
      await h.threadWith(back, `back on ${short(A)}`);
      expect(h.frontend.head()).toBe(A);
      expect((await h.frontend.version())?.commit).toBe(A);
    },
  );

  test(
    "a release that dies at start-up: the run stops with supervisor's and the error log's words; Revert, once " +
      'approved, brings the previous commit back',
    async () => {
      const C = h.frontend.pushBrokenCommit('Switch to the new query engine');
      await h.command('deploy', alice);
      const card = await h.cardWithButton('run_approve');
      expect(h.cardText(card)).toContain(`${short(A)} → ${short(C)} (`);
      await h.click('run_approve', bob, card);

      const thread = await h.threadWith(card, 'the run failed at *Use supervisor to restart service*');
      const failure = thread.find((t) => t.includes('the run failed'))!;
      expect(failure).toContain('supervisorctl restart active_data failed (exit 7)');
      expect(failure).toContain('ERROR (spawn error)');
      expect(failure).toContain('ImportError: cannot import name "jx_elasticsearch" (broken release)');
      expect(failure).toContain(`The checkout is at ${short(C)} (it was ${short(A)})`);
      expect(failure).toContain('can be reverted from the card');
      expect(h.frontend.head()).toBe(C);
      expect(await h.frontend.version()).toBeUndefined();

      const revertCard = await h.cardWithButton('run_revert');
      await h.click('run_revert', alice, revertCard);
      // The rollback is destructive: it waits for a second person too.
      const approveUndo = await h.cardWithButton('run_approve');
      expect(h.cardText(approveUndo)).toContain(`Roll back to the previous commit (${short(A)}) and restart`);
      expect(h.frontend.head()).toBe(C);
      await h.click('run_approve', carol, approveUndo);
      await h.threadWith(card, 'Reverted.');
      expect(h.frontend.head()).toBe(A);
      await h.frontend.waitUntilServing(A);
    },
  );

  test(
    'local changes in the checkout: the deploy is refused, naming the file; changes made after the plan stop ' +
      'the pull; nothing moves',
    async () => {
      h.frontend.pushCommit('Tidy the README');
      const pidBefore = pidOf(h);
      writeFileSync(join(h.frontend.checkout, 'CHANGES.md'), 'edited on the host\n');
      await h.command('deploy', alice);
      const refusal = await eventually(
        () => h.ephemeralTexts(alice.user_id).find((t) => t.includes('Cannot deploy origin/master')),
        'the refusal',
      );
      expect(refusal).toContain('has local changes (CHANGES.md)');
      expect(refusal).toContain('stash');
      h.frontend.git('checkout', '--', 'CHANGES.md');

      // Clean when planned, dirty by the time it is approved.
      const cardsBefore = h.cards().length;
      await h.command('deploy', alice);
      const card = await eventually(
        () => h.cards().length > cardsBefore && h.cards()[h.cards().length - 1],
        'the deploy card',
      );
      writeFileSync(join(h.frontend.checkout, 'server.cjs'), '// hot fix typed on the host\n');
      await h.click('run_approve', bob, card);
      const thread = await h.threadWith(card, 'the run failed at *On the frontend machine run git pull origin master*');
      const failure = thread.find((t) => t.includes('the run failed'))!;
      expect(failure).toContain('has local changes (server.cjs)');
      expect(failure).toContain(`Nothing was changed: the service still runs ${short(A)}`);
      expect(failure).not.toContain('reverted from the card');
      expect(h.frontend.head()).toBe(A);
      expect(pidOf(h)).toBe(pidBefore);
      expect((await h.frontend.version())?.commit).toBe(A);
      h.frontend.git('checkout', '--', 'server.cjs');
    },
  );
});
