import { afterEach, describe, expect, test } from 'vitest';
import { alice, bob, carol, dave, startDrainHarness, type DrainHarness } from '../support/drain-fixture.js';
import { eventually } from '../support/wait.js';

const EXCLUDE = 'cluster.routing.allocation.exclude._ip';

describe('/es drain: plan, second approver, progress card, empty', () => {
  let h: DrainHarness;
  afterEach(async () => {
    await h?.close();
  });

  const persistent = async () =>
    (await h.es.cluster.getSettings({ flat_settings: true })).persistent as Record<string, string>;

  test(
    'full drain: self-approval refused, a second person approves, the IP is appended once, the card reaches ' +
      '"empty"',
    async () => {
      h = await startDrainHarness();
      // An entry that matches no node: it must survive the drain, and be reported as stale.
      await h.es.cluster.putSettings({ persistent: { [EXCLUDE]: '10.0.0.99' } });
      await h.driver.command('/es', 'drain node-3', alice);
      const card = await h.cardWithButton('run_approve');
      const plan = h.cardText(card);
      expect(plan).toContain('node-3 (172.31.0.39)');
      expect(plan).toContain('`10.0.0.99` → `10.0.0.99,172.31.0.39`');
      expect(plan).toContain(
        'stale entries in cluster.routing.allocation.exclude._ip match no node: 10.0.0.99 (add --clean-stale ' +
          'to remove them in the same approved write)',
      );
      expect(plan).toMatch(/Waiting for approval of \*?Move shards off the node/);

      await h.click('run_approve', alice, card);
      await eventually(
        () => h.ephemeralTexts(alice.user_id).some((t) => t.includes('a second person must approve')),
        'the self-approval refusal',
      );
      await h.click('run_approve', dave, card);
      await eventually(
        () => h.ephemeralTexts(dave.user_id).some((t) => t.includes('not in the approvers list')),
        'the non-approver refusal',
      );
      expect(h.proxy.settingsWrites()).toEqual([]); // the test's own write went straight to the simulator

      await h.click('run_approve', bob, card);
      const thread = await eventually(
        () => {
          const t = h.threadTexts(card.ts);
          return t.some((x) => x.includes('node-3 is empty: safe to stop')) ? t : undefined;
        },
        'the "empty" reply',
        30_000,
      );

      expect((await persistent())[EXCLUDE]).toBe('10.0.0.99,172.31.0.39');
      const writes = h.proxy.settingsWrites();
      expect(writes).toEqual([{ persistent: { [EXCLUDE]: '10.0.0.99,172.31.0.39' } }]);
      const node3 = (await h.es.cat.allocation({ node_id: 'node-3', format: 'json' })).find((r) => r.node === 'node-3');
      expect(Number(node3?.shards)).toBe(0);

      expect(thread.some((t) => t.includes('<@U0BOB> approved *Move shards off the node*'))).toBe(true);
      expect(
        thread.some((t) =>
          t.includes(
            '*Move shards off the node* — persistent cluster.routing.allocation.exclude._ip = 10.0.0.99,172.31.0.39',
          ),
        ),
      ).toBe(true);
      const done = thread.find((t) => t.includes('node-3 is empty: safe to stop'))!;
      expect(done).toContain('<@U0ALICE>');
      expect(done).toContain('approved by <@U0BOB>');
      const final = h.view.card(card.ts)!;
      expect(h.cardText(final)).toContain('Done in');
      expect(JSON.stringify(final.blocks)).not.toContain('run_approve');

      // Progress: the card was updated with progress, and never faster than the throttle allows.
      const updates = h.stack.slack.callsTo('chat.update').filter((c) => c.args.ts === card.ts);
      const progressUpdates = updates.filter((c) => JSON.stringify(c.args.blocks).includes('Shards left'));
      expect(progressUpdates.length).toBeGreaterThan(0);
      const span = updates[updates.length - 1]!.at - updates[0]!.at;
      // Transitions go out at once: approval requested, approved, 2 × step started, 2 × step done, half way, succeeded.
      const transitions = 8;
      expect(updates.length).toBeLessThanOrEqual(Math.ceil(span / 250) + transitions + 1);
      expect(JSON.stringify(progressUpdates[0]!.args.blocks)).toMatch(/▓|░/);
    },
  );

  test('the card names who may approve', async () => {
    h = await startDrainHarness();
    await h.driver.command('/es', 'drain node-3', alice);
    expect(h.cardText(await h.cardWithButton('run_approve'))).toContain('by one of @U0BOB, @U0CAROL, not @U0ALICE');
  });

  test('a channel the bot cannot post in: the run is withdrawn and the requester told to invite the bot', async () => {
    h = await startDrainHarness();
    h.stack.slack.failNext('chat.postMessage', { error: 'not_in_channel' });
    await h.driver.command('/es', 'drain node-3', alice);
    const text = await eventually(
      () => h.ephemeralTexts(alice.user_id).find((t) => t.includes('could not post the plan card')),
      'the invite hint',
    );
    expect(text).toContain('/invite @opsbot');
    expect((await h.stack.bot.engine.listRuns())[0]!.status).toBe('denied');
    expect(h.proxy.settingsWrites()).toEqual([]);
  });

  test('--clean-stale removes entries that match no node in the same approved write', async () => {
    h = await startDrainHarness();
    await h.es.cluster.putSettings({ persistent: { [EXCLUDE]: '10.0.0.99,172.31.0.11,10.0.0.98' } });
    await h.driver.command('/es', 'drain node-3 --clean-stale', alice);
    const card = await h.cardWithButton('run_approve');
    expect(h.cardText(card)).toContain('`10.0.0.99,172.31.0.11,10.0.0.98` → `172.31.0.11,172.31.0.39`');
    expect(h.cardText(card)).toContain('Also removes stale entries that match no node: `10.0.0.99,10.0.0.98`');
    await h.click('run_approve', bob, card);
    await eventually(async () => (await persistent())[EXCLUDE] === '172.31.0.11,172.31.0.39', 'the write');
    expect(h.proxy.settingsWrites()).toEqual([{ persistent: { [EXCLUDE]: '172.31.0.11,172.31.0.39' } }]);
  });

  test('--dry-run shows the plan and changes nothing', async () => {
    h = await startDrainHarness();
    await h.driver.command('/es', 'drain node-3 --dry-run', alice);
    const msg = await eventually(() => h.view.ephemerals(alice.user_id)[0], 'the dry-run plan, to alice alone');
    const text = JSON.stringify(msg.blocks);
    expect(text).toContain('Dry run: drain node-3 on local');
    expect(text).toContain('_(empty)_ → `172.31.0.39`');
    expect(text).not.toContain('run_approve');
    expect(h.cards()).toEqual([]);
    expect(h.proxy.settingsWrites()).toEqual([]);
    expect(await h.stack.bot.engine.listRuns()).toEqual([]);
  });

  test('unknown node lists the known ones; nothing is created', async () => {
    h = await startDrainHarness();
    await h.driver.command('/es', 'drain node-9', alice);
    const text = await eventually(
      () => h.ephemeralTexts(alice.user_id).find((t) => t.includes('no node named')),
      'the unknown-node reply',
    );
    expect(text).toContain('known nodes are node-1, node-2, node-3, node-4');
    expect(h.cards()).toEqual([]);
  });

  test('a transient exclusion that would override the drain refuses it, naming the fix', async () => {
    h = await startDrainHarness();
    await h.es.cluster.putSettings({ transient: { [EXCLUDE]: '' } });
    await h.driver.command('/es', 'drain node-3', alice);
    const text = await eventually(
      () => h.ephemeralTexts(alice.user_id).find((t) => t.includes('Cannot drain node-3')),
      'the refusal',
    );
    expect(text).toContain(`transient ${EXCLUDE} = "" overrides the persistent list`);
    expect(text).toContain(`{"transient": {"${EXCLUDE}": null}}`);
    expect(h.cards()).toEqual([]);
  });

  test('deny with a reason: nothing written, the thread says who and why', async () => {
    h = await startDrainHarness();
    await h.driver.command('/es', 'drain node-3', alice);
    const card = await h.cardWithButton('run_deny');
    await h.click('run_deny', carol, card);
    const view = await eventually(() => h.stack.slack.views()[0], 'the deny modal');
    expect(view.callback_id).toBe('run_deny_reason');
    await h.driver.submitView(
      {
        callback_id: view.callback_id!,
        private_metadata: view.private_metadata,
        state: { reason: { text: { type: 'plain_text_input', value: 'not during the release' } } },
      },
      carol,
    );
    await eventually(
      () => h.threadTexts(card.ts).find((t) => t.includes('<@U0CAROL> denied the run: not during the release')),
      `the denial reply (thread: ${JSON.stringify(h.threadTexts(card.ts))}, ` +
        `calls: ${JSON.stringify(h.stack.slack.calls.map((c) => c.method))})`,
    );
    expect(h.proxy.settingsWrites()).toEqual([]);
    const [run] = await h.stack.bot.engine.listRuns();
    expect(run!.status).toBe('denied');
  });

  test('approval expires: nothing written', async () => {
    h = await startDrainHarness({ approvalTtlMs: 600 });
    await h.driver.command('/es', 'drain node-3', alice);
    const card = await h.cardWithButton('run_approve');
    await eventually(() => h.threadTexts(card.ts).find((t) => t.includes('Nobody approved')), 'the expiry reply');
    await h.click('run_approve', bob, card).catch(() => undefined);
    expect(h.proxy.settingsWrites()).toEqual([]);
    expect((await h.stack.bot.engine.listRuns())[0]!.status).toBe('expired');
  });

  test('double click and a Slack retry of the command count once', async () => {
    h = await startDrainHarness();
    const { body } = h.driver.commandBody('/es', 'drain node-3', alice);
    await h.driver.send(body);
    await h.driver.send(body, { retryNum: 1, retryReason: 'http_timeout' });
    const card = await h.cardWithButton('run_approve');
    await Promise.all([
      h.click('run_approve', bob, card),
      h.click('run_approve', bob, card),
      h.click('run_approve', carol, card),
    ]);
    await eventually(
      () => h.threadTexts(card.ts).find((t) => t.includes('safe to stop')),
      'the drain to finish',
      30_000,
    );
    const runs = await h.stack.bot.engine.listRuns();
    expect(runs).toHaveLength(1);
    expect(runs[0]!.approvals).toHaveLength(1);
    expect(h.cards()).toHaveLength(1);
    expect(h.proxy.settingsWrites()).toHaveLength(1);
  });

  test('a second change on the same cluster is refused while the first runs, naming it', async () => {
    h = await startDrainHarness({ speed: 0.01 });
    await h.driver.command('/es', 'drain node-3', alice);
    await h.cardWithButton('run_approve');
    const [first] = await h.stack.bot.engine.listRuns();
    await h.driver.command('/es', 'drain node-4', carol);
    const refusal = await eventually(
      () => h.ephemeralTexts(carol.user_id).find((t) => t.includes('Not started')),
      'the lock refusal',
    );
    expect(refusal).toContain(`the allocation lock of local is held by run ${first!.id}`);
    expect(refusal).toContain('requested by <@U0ALICE>');
    expect(await h.stack.bot.engine.listRuns()).toHaveLength(1);
  });

  test(
    'settings changed between approval and write: the approval is ' + 'void and asked again, saying what changed',
    async () => {
      h = await startDrainHarness({ worker: false });
      await h.driver.command('/es', 'drain node-3', alice);
      const card = await h.cardWithButton('run_approve');
      await h.click('run_approve', bob, card);
      await h.es.cluster.putSettings({ persistent: { [EXCLUDE]: '172.31.0.11' } }); // someone drained node-1 meanwhile
      await h.stack.bot.engine.startWorker();
      const changed = await eventually(
        () => h.threadTexts(card.ts).find((t) => t.includes('plan changed')),
        'the plan-changed reply',
      );
      expect(changed).toContain('persistent exclude._ip: (unset) → 172.31.0.11');
      expect(h.proxy.settingsWrites()).toEqual([]);
      await eventually(
        async () => (await h.stack.bot.engine.listRuns())[0]?.status === 'awaiting_approval',
        'a new approval request',
      );
      await h.click('run_approve', bob, await h.cardWithButton('run_approve'));
      await eventually(
        async () => (await persistent())[EXCLUDE] === '172.31.0.11,172.31.0.39',
        'the write after the new approval',
      );
    },
  );

  test("undrain removes only that node's IP, after approval", async () => {
    h = await startDrainHarness();
    await h.es.cluster.putSettings({ persistent: { [EXCLUDE]: '172.31.0.11,172.31.0.39,10.0.0.99' } });
    await h.driver.command('/es', 'undrain node-3', alice);
    const card = await h.cardWithButton('run_approve');
    expect(h.cardText(card)).toContain('`172.31.0.11,172.31.0.39,10.0.0.99` → `172.31.0.11,10.0.0.99`');
    await h.click('run_approve', bob, card);
    await eventually(async () => (await persistent())[EXCLUDE] === '172.31.0.11,10.0.0.99', 'the undrain write');
  });

  test('cancel during the wait, then revert: the exclusion is removed after approval', async () => {
    h = await startDrainHarness({ speed: 0.01 });
    await h.es.cluster.putSettings({ persistent: { [EXCLUDE]: '10.0.0.99' } });
    await h.driver.command('/es', 'drain node-3', alice);
    const card = await h.cardWithButton('run_approve');
    await h.click('run_approve', bob, card);
    await eventually(async () => (await persistent())[EXCLUDE] === '10.0.0.99,172.31.0.39', 'the drain write');
    await h.click('run_cancel', alice, await h.cardWithButton('run_cancel'));
    const revertCard = await h.cardWithButton('run_revert');
    await eventually(
      () =>
        h
          .threadTexts(card.ts)
          .some((t) => t.includes('Cancelled by <@U0ALICE>') && t.includes('Move shards off the node')),
      'the cancel reply',
    );
    await h.click('run_revert', alice, revertCard);
    const approveUndo = await h.cardWithButton('run_approve');
    expect(h.cardText(approveUndo)).toContain('Allow allocation back to node');
    await h.click('run_approve', carol, approveUndo);
    await eventually(async () => (await persistent())[EXCLUDE] === '10.0.0.99', 'the revert write');
    await eventually(
      async () => (await h.stack.bot.engine.listRuns())[0]!.status === 'reverted',
      'the run to be reverted',
    );
  });
});
