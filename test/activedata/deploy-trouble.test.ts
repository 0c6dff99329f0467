import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { startLocalStack } from '../../src/main/local-stack.js';
import { startFrontendHost, SERVICE_PROGRAM, type FrontendHost } from '../../src/sim/activedata/index.js';
import { freePort } from '../../src/sim/services/free-port.js';
import { ChannelView } from '../../src/sim/slack/index.js';
import { CHANNEL, fourNodeCluster } from '../support/drain-fixture.js';
import { eventually } from '../support/wait.js';
import { alice, bob, carol, startServiceHarness, type ServiceHarness } from './service-fixture.js';

const short = (sha: string) => sha.slice(0, 7);
const pidOf = (f: FrontendHost) => /pid (\d+)/.exec(f.supervisorctl('status', SERVICE_PROGRAM).stdout)?.[1];

describe('/activedata when things are not as planned', () => {
  let frontend: FrontendHost;
  let h: ServiceHarness;
  let A: string;
  beforeAll(async () => {
    frontend = await startFrontendHost();
    // A short start timeout: a service that does not come back is called so in seconds.
    h = await startServiceHarness({ startTimeoutSeconds: 3 }, frontend);
    A = frontend.head();
  });
  afterAll(async () => {
    await h?.close();
    await frontend?.stop();
  });

  const refusalFor = (needle: string) =>
    eventually(() => h.ephemeralTexts(alice.user_id).find((t) => t.includes(needle)), `a reply containing "${needle}"`);

  test('an unreachable frontend: one clear message naming host and port; nothing is created', async () => {
    const port = await freePort();
    const down = await startServiceHarness({ port }, frontend);
    try {
      frontend.pushCommit('Unreachable test');
      await down.command('deploy', alice);
      const text = await eventually(
        () => down.ephemeralTexts(alice.user_id).find((t) => t.includes('cannot be reached')),
        'the unreachable message',
      );
      expect(text).toContain(`cannot reach 127.0.0.1:${port} (ECONNREFUSED)`);
      expect(text).toContain('Nothing was changed.');
      await down.command('status', alice);
      await eventually(
        () =>
          down.ephemeralTexts(alice.user_id).filter((t) => t.includes(`cannot reach 127.0.0.1:${port}`)).length === 2,
        'the status answer',
      );
      expect(await down.stack.bot.engine.listRuns()).toEqual([]);
      expect(frontend.head()).toBe(A);
      expect((await frontend.version())?.commit).toBe(A);
    } finally {
      await down.close();
    }
  });

  test('nothing new, an unknown commit, a rollback that would go forward: refused with the reason', async () => {
    frontend.git('pull', '--quiet', '--ff-only', 'origin', 'master');
    const head = frontend.head();
    await h.command('deploy', alice);
    expect(await refusalFor('nothing to deploy')).toContain(`already at origin/master (${short(head)})`);
    await h.command('rollback deadbee', alice);
    expect(await refusalFor('no commit "deadbee"')).toContain('Cannot roll back to deadbee');
    const ahead = frontend.pushCommit('Not pulled yet');
    await h.command('deploy', alice); // fetches it, so the commit is known to the checkout
    const card = await h.cardWithButton('run_approve');
    // One change to the frontend at a time: the deploy's lock, named with its run and state.
    await h.command('restart', alice);
    const busy = await refusalFor('Not started');
    expect(busy).toContain('the activedata-frontend lock is held by run');
    expect(busy).toContain('awaiting approval');
    await h.click('run_cancel', alice, card); // the requester withdraws; nothing had run
    await eventually(async () => (await h.stack.bot.engine.listRuns())[0]?.status === 'cancelled', 'the cancelled run');
    await h.command(`rollback ${short(ahead)}`, alice);
    expect(await refusalFor('is not an earlier commit')).toContain('a rollback only goes back');
    expect(frontend.head()).toBe(head);
    frontend.git('reset', '--quiet', '--keep', A);
    frontend.supervisorctl('restart', SERVICE_PROGRAM);
    await frontend.waitUntilServing(A);
  });

  test('/activedata restart: approved, the program gets a new pid on the same commit', async () => {
    const before = pidOf(frontend);
    await h.command('restart', alice);
    const card = await h.cardWithButton('run_approve');
    expect(h.cardText(card)).toContain(`Restart ActiveData (${SERVICE_PROGRAM}) on ${short(A)}`);
    await h.click('run_approve', carol, card);
    await h.threadWith(card, `${SERVICE_PROGRAM} RUNNING`);
    expect(pidOf(frontend)).not.toBe(before);
    expect((await frontend.version())?.commit).toBe(A);
  });

  test(
    'a release that runs but never answers: the run fails after the start timeout with what supervisor and the ' +
      'health URL said; Keep leaves it',
    async () => {
      const D = frontend.pushDeafCommit('Warm the schema cache at start-up');
      await h.command('deploy', alice);
      const card = await h.cardWithButton('run_approve');
      await h.click('run_approve', bob, card);
      const thread = await h.threadWith(
        card,
        'the run failed at *Wait until supervisor reports RUNNING and the service answers its health URL*',
      );
      const failure = thread.find((t) => t.includes('the run failed'))!;
      expect(failure).toContain(`The service did not come back on ${short(D)}: it is not up after`);
      expect(failure).toContain(`supervisor says ${SERVICE_PROGRAM} RUNNING`);
      expect(failure).toMatch(/health .*(Connection refused|Failed to connect)/);
      expect(failure).toContain(`Revert rolls back to ${short(A)}`);
      const offer = await h.cardWithButton('run_keep');
      await h.click('run_keep', alice, offer);
      await h.threadWith(card, '<@U0ALICE> kept the changes as they are.');
      expect(frontend.head()).toBe(D);
    },
  );
});

test('no service: in opsbot.yaml: /activedata says so instead of failing', async () => {
  const stack = await startLocalStack({
    redisUrl: inject('redisUrl'),
    prefix: `adnone${process.pid}-${Date.now()}`,
    cluster: fourNodeCluster(),
    tickMs: 0,
  });
  try {
    await stack.driver.command('/activedata', 'status', alice);
    const text = await eventually(
      () =>
        new ChannelView(stack.slack, CHANNEL)
          .ephemeralTexts(alice.user_id)
          .find((t) => t.includes('No ActiveData frontend')),
      'the reply',
    );
    expect(text).toContain('add a service: section to opsbot.yaml');
  } finally {
    await stack.close();
  }
});
