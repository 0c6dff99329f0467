import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { alice, bob, startServiceHarness, type ServiceHarness } from '../activedata/service-fixture.js';
import { eventually } from '../support/wait.js';

/** supervisorctl's pid of the service: a restart would change it. */
const pidOf = (h: ServiceHarness) => /pid (\d+)/.exec(h.frontend.supervisorctl('status').stdout)?.[1];

/** Issue 19.1 for /activedata: deploy, restart and rollback with --dry-run touch nothing. */
describe('--dry-run on /activedata deploy, restart and rollback', () => {
  let h: ServiceHarness;
  let before: { head: string; pid: string | undefined; pushed: string };
  beforeAll(async () => {
    h = await startServiceHarness();
    const head = h.frontend.head();
    before = {
      head,
      pid: pidOf(h),
      pushed: h.frontend.pushCommit('Fix the query cache'),
    };
  }, 30_000);
  afterAll(async () => {
    await h?.close();
  });

  test.each([
    ['deploy --dry-run', 'Dry run: /activedata deploy'],
    ['restart --dry-run', 'Dry run: /activedata restart'],
  ])('/activedata %s: the plan to the requester alone; checkout, service and runs untouched', async (text, title) => {
    const seen = h.view.ephemerals(alice.user_id).length;
    await h.command(text, alice);
    const reply = await eventually(() => h.view.ephemerals(alice.user_id).slice(seen)[0], `the answer to ${text}`);
    const shown = `${reply.text}\n${JSON.stringify(reply.blocks ?? [])}`;
    expect(shown).toContain(title);
    expect(shown).toContain('nothing was changed');
    expect(shown).not.toMatch(/run_approve/);
    expect(h.cards()).toEqual([]);
    expect(h.view.ephemerals(bob.user_id)).toEqual([]);
    expect(h.frontend.head()).toBe(before.head);
    expect(before.pid).toMatch(/^\d+$/);
    expect(pidOf(h)).toBe(before.pid);
    expect(await h.stack.bot.engine.listRuns()).toEqual([]);
  });

  test('deploy --dry-run shows the commit it would bring', async () => {
    const seen = h.view.ephemerals(alice.user_id).length;
    await h.command('deploy --dry-run', alice);
    const reply = await eventually(() => h.view.ephemerals(alice.user_id).slice(seen)[0], 'the deploy dry run');
    expect(JSON.stringify(reply.blocks)).toContain('Dry run: /activedata deploy');
    expect(JSON.stringify(reply.blocks)).toContain(before.pushed.slice(0, 7));
  });

  test('rollback --dry-run: what it would take back, to the requester alone; checkout and service stay', async () => {
    // Someone pulled the new commit on the frontend by hand: the checkout is ahead of what runs.
    h.frontend.git('pull', '--quiet', '--ff-only');
    expect(h.frontend.head()).toBe(before.pushed);
    const seen = h.view.ephemerals(alice.user_id).length;
    await h.command(`rollback ${before.head.slice(0, 7)} --dry-run`, alice);
    const reply = await eventually(() => h.view.ephemerals(alice.user_id).slice(seen)[0], 'the rollback dry run');
    const shown = `${reply.text}\n${JSON.stringify(reply.blocks ?? [])}`;
    expect(shown).toContain('Dry run: /activedata rollback');
    expect(shown).toContain(before.head.slice(0, 7));
    expect(shown).toContain('Fix the query cache'); // the commit the rollback would take back
    expect(shown).toContain('nothing was changed');
    expect(shown).not.toMatch(/run_approve/);
    expect(h.cards()).toEqual([]);
    expect(h.view.ephemerals(bob.user_id)).toEqual([]);
    expect(h.frontend.head()).toBe(before.pushed);
    expect(pidOf(h)).toBe(before.pid);
    expect(await h.stack.bot.engine.listRuns()).toEqual([]);
  });
});
