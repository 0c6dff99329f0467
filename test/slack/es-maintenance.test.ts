import { afterEach, describe, expect, test } from 'vitest';
import { alice, bob, carol, dave, type DrainHarness } from '../support/drain-fixture.js';
import { clusterActions, simNodeCommands, startMaintenanceHarness } from '../support/maintenance-fixture.js';
import { eventually } from '../support/wait.js';

const finished = (h: DrainHarness, ts: string, what: string, ms = 30_000) =>
  eventually(
    () => h.threadTexts(ts).find((t) => t.includes(what)),
    `"${what}" in the thread (have: ${JSON.stringify(h.threadTexts(ts).slice(-3))})`,
    ms,
  );

describe('cluster maintenance over SSH', () => {
  let h: DrainHarness;
  afterEach(async () => {
    await h?.close();
  });

  test(
    'bounce of two nodes: one approval; node by node: replicas held, restart over SSH until it rejoins, ' +
      'enable back as it was, recover',
    async () => {
      h = await startMaintenanceHarness();
      await h.driver.command('/es', 'bounce node-2 node-3', alice);
      const card = await h.cardWithButton('run_approve');
      const plan = h.cardText(card);
      expect(plan).toContain('node-2 (172.31.0.12, secondary)');
      expect(plan).toContain('One approval covers every step of this plan');
      await h.click('run_approve', bob, card);
      await finished(h, card.ts, ':tada:');
      // One node at a time (I1): never both nodes' copies offline at once. `enable` was unset: removed again.
      expect(clusterActions(h)).toEqual([
        'enable=primaries',
        'restart node-2',
        'enable=null',
        'enable=primaries',
        'restart node-3',
        'enable=null',
      ]);
      const thread = h.threadTexts(card.ts);
      expect(thread.some((t) => /\*Restart node-2\* — node-2 rejoined the cluster after/.test(t))).toBe(true);
      expect(thread.filter((t) => t.includes('needs approval'))).toHaveLength(1);
      const run = (await h.stack.bot.engine.listRuns())[0]!;
      expect(run.steps.map((s) => s.id)).toEqual([
        'disable-before-node-2',
        'restart-node-2',
        'enable-after-node-2',
        'recover-after-node-2',
        'disable-before-node-3',
        'restart-node-3',
        'enable-after-node-3',
        'recover-after-node-3',
      ]);
      expect((await h.es.cluster.getSettings({ flat_settings: true })).persistent).not.toHaveProperty(
        'cluster.routing.allocation.enable',
      );
    },
  );

  test(
    'a node that does not rejoin fails the run; the card says shard movement is still disabled and Revert ' +
      're-enables it (approved)',
    async () => {
      // The "restart" only stops the node: it never comes back.
      h = await startMaintenanceHarness({
        commands: (url) => ({ ...simNodeCommands(url), restart: simNodeCommands(url).stop }),
        timeouts: { rejoinMs: 1_500 },
      });
      await h.driver.command('/es', 'bounce node-3', alice);
      const card = await h.cardWithButton('run_approve');
      await h.click('run_approve', bob, card);
      const failure = await finished(h, card.ts, 'the run failed');
      expect(failure).toContain('node-3 did not rejoin the cluster within');
      const alarm = await h.cardWithButton('run_revert');
      expect(h.cardText(alarm)).toContain('Shard movement is still DISABLED on cluster local');
      await h.click('run_revert', alice, alarm);
      await h.click('run_approve', carol, await h.cardWithButton('run_approve'));
      await eventually(async () => (await h.stack.bot.engine.listRuns())[0]!.status === 'reverted', 'the revert');
      expect(clusterActions(h)).toEqual(['enable=primaries', 'stop node-3', 'enable=null']);
      // The card is updated just after the run is saved as reverted: wait for its final state.
      const final = await eventually(() => {
        const text = h.cardText(h.view.card(card.ts)!);
        return text.includes(':rewind: Reverted') && text;
      }, 'the card to say Reverted');
      expect(final).not.toContain('still DISABLED');
    },
  );

  test('a failing command stops the run with its exit code and output', async () => {
    h = await startMaintenanceHarness({
      commands: (url) => ({
        ...simNodeCommands(url),
        restart: 'echo "Job for elasticsearch.service failed" >&2; exit 3',
      }),
    });
    await h.driver.command('/es', 'bounce node-2', alice);
    const card = await h.cardWithButton('run_approve');
    await h.click('run_approve', bob, card);
    const failure = await finished(h, card.ts, 'the run failed');
    expect(failure).toContain('exited with 3');
    expect(failure).toContain('Job for elasticsearch.service failed');
    expect(clusterActions(h)).toEqual(['enable=primaries']);
  });

  test.each([
    [
      'a key the node does not accept',
      { privateKeyPath: '/dev/null' },
      /cannot read the SSH key|refused our key|Cannot parse privateKey/,
    ],
    ['a closed SSH port', { sshPort: 1 }, /cannot reach 127\.0\.0\.1:1 \(ECONNREFUSED\)/],
  ])('%s: a clear message in the thread', async (_name, opts, message) => {
    h = await startMaintenanceHarness(opts);
    await h.driver.command('/es', 'bounce node-2', alice);
    const card = await h.cardWithButton('run_approve');
    await h.click('run_approve', bob, card);
    const text = await eventually(
      () => h.threadTexts(card.ts).find((t) => message.test(t)),
      `the SSH error (thread: ${JSON.stringify(h.threadTexts(card.ts))})`,
      20_000,
    );
    expect(text).toMatch(message);
  });

  test(
    'maintain: drain, disable, stop, pause for Done (only requester ' + 'or approver), start, enable, allow back',
    async () => {
      h = await startMaintenanceHarness();
      await h.driver.command('/es', 'maintain node-3', alice);
      const card = await h.cardWithButton('run_approve');
      expect(h.cardText(card)).toContain('by hand; the run pauses and waits for *Done*');
      await h.click('run_approve', bob, card);
      const done = await h.cardWithButton('run_resume');
      await finished(h, card.ts, 'node-3 is stopped: perform your changes, then press Done');
      await h.click('run_resume', dave, done);
      await eventually(() => h.ephemeralTexts(dave.user_id).length > 0, 'the refusal to dave');
      expect((await h.stack.bot.engine.listRuns())[0]!.status).toBe('paused');
      await h.click('run_resume', alice, done);
      await finished(h, card.ts, ':tada:');
      expect(clusterActions(h)).toEqual([
        'exclude._ip=172.31.0.39',
        'enable=none',
        'stop node-3',
        'start node-3',
        'enable=null', // unset before the run: removed again (I3), not written as `all`
        'exclude._ip=null',
      ]);
      const run = (await h.stack.bot.engine.listRuns())[0]!;
      expect(run.steps.find((s) => s.id === 'perform-changes')?.summary).toBe('changes done, confirmed by <@U0ALICE>');
    },
  );

  test(
    'maintain --change runs the registered change over SSH instead ' + 'of pausing; an unknown change is refused',
    async () => {
      h = await startMaintenanceHarness({ changes: { 'resize-heap': 'echo heap set to 30g' } });
      await h.driver.command('/es', 'maintain node-4 --change resize-hip', alice);
      const refusal = await eventually(
        () => h.ephemeralTexts(alice.user_id).find((t) => t.includes('No change named')),
        'the refusal',
      );
      expect(refusal).toContain('Known changes: resize-heap');
      await h.driver.command('/es', 'maintain node-4 --change resize-heap', alice);
      const card = await h.cardWithButton('run_approve');
      await h.click('run_approve', bob, card);
      await finished(h, card.ts, ':tada:');
      expect(h.threadTexts(card.ts).some((t) => t.includes('heap set to 30g'))).toBe(true);
      expect(clusterActions(h)).toEqual([
        'exclude._ip=172.31.0.14',
        'enable=none',
        'stop node-4',
        'start node-4',
        'enable=null',
        'exclude._ip=null',
      ]);
    },
  );

  test('allocation and zone commands: approved single settings changes; a transient override refuses', async () => {
    h = await startMaintenanceHarness();
    await h.driver.command('/es', 'allocation primaries', alice);
    await h.click('run_approve', bob, await h.cardWithButton('run_approve'));
    await eventually(
      async () => (await h.stack.bot.engine.listRuns())[0]?.status === 'succeeded',
      'the allocation run to end (it holds the cluster lock)',
    );
    expect(clusterActions(h)).toEqual(['enable=primaries']);
    // A deliberate restriction keeps its alarm on the card, with the way back.
    // The card is updated just after the run is saved as succeeded.
    const done = await eventually(() => {
      const text = h.cardText(h.cards()[0]!);
      return text.includes('Shard movement is still DISABLED on cluster local') ? text : undefined;
    }, 'the alarm on the finished card');
    expect(done).toContain('Request `/es allocation all --cluster local`.');
    await h.driver.command('/es', 'exclude-zone spot', alice);
    await h.click('run_approve', bob, await h.cardWithButton('run_approve'));
    await eventually(() => clusterActions(h).includes('exclude.zone=spot'), 'the zone exclusion');
    await h.driver.command('/es', 'exclude-zone moon', alice);
    expect(
      await eventually(
        () => h.ephemeralTexts(alice.user_id).find((t) => t.includes('No node has zone "moon"')),
        'the zone refusal',
      ),
    ).toContain('zones are: primary, secondary, spot');
    await h.es.cluster.putSettings({ transient: { 'cluster.routing.allocation.enable': 'none' } });
    await h.driver.command('/es', 'allocation all', alice);
    const refusal = await eventually(
      () => h.ephemeralTexts(alice.user_id).find((t) => t.includes('Cannot change allocation')),
      'the override refusal',
    );
    expect(refusal).toContain('transient cluster.routing.allocation.enable = "none" overrides the persistent setting');
    expect(clusterActions(h)).toEqual(['enable=primaries', 'exclude.zone=spot']);
  });

  test('rolling restart of one zone: each node wrapped in disable/enable, one at a time', async () => {
    h = await startMaintenanceHarness();
    await h.driver.command('/es', 'rolling-restart --zone spot', alice);
    const card = await h.cardWithButton('run_approve');
    await h.click('run_approve', bob, card);
    await finished(h, card.ts, ':tada:', 45_000);
    expect(clusterActions(h)).toEqual([
      'enable=primaries',
      'restart node-3',
      'enable=null',
      'enable=primaries',
      'restart node-4',
      'enable=null',
    ]);
  }, 60_000);
});
