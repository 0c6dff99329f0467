import { describe, expect, test } from 'vitest';
import { parsePolicy } from '../../src/config/policy.js';
import type { StoredView } from '../../src/sim/slack/types.js';
import { alice, bob, CHANNEL, harnessesClosedAfterEach } from '../support/drain-fixture.js';
import { eventually } from '../support/wait.js';

/**
 * Pickers instead of typing (issue 19.5), through the real receiver and the Slack stand-in:
 * `/es drain` without a node opens a modal (views.open with the command's trigger_id) whose select
 * lists the nodes with zone, shards and disk; its submit shows the plan exactly as the typed
 * command does. `/es help` has buttons for the common commands.
 */
describe('node picker and help buttons', () => {
  const start = harnessesClosedAfterEach();

  type Option = { text: { text: string }; value: string };
  const selectOf = (view: StoredView) => {
    const input = view.blocks.find((b) => (b as { type?: string }).type === 'input') as {
      block_id: string;
      element: { type: string; action_id: string; options: Option[] };
    };
    return { block: input.block_id, ...input.element };
  };
  const pick = (view: StoredView, node: string) => {
    const s = selectOf(view);
    const option = s.options.find((o) => o.value === node)!;
    return {
      callback_id: view.callback_id!,
      private_metadata: view.private_metadata,
      state: { [s.block]: { [s.action_id]: { type: 'static_select', selected_option: option } } },
    };
  };

  test("/es drain opens the picker with each node's zone, shards and disk; a pick shows the typed plan", async () => {
    const h = await start();
    // The command's own trigger_id opens the modal.
    const { body } = h.driver.commandBody('/es', 'drain --dry-run', alice);
    const triggerId = new URLSearchParams(body).get('trigger_id');
    await h.driver.send(body);
    const view = await eventually(() => h.stack.slack.views()[0], 'the picker modal');
    expect(h.stack.slack.callsTo('views.open').map((c) => c.args.trigger_id)).toEqual([triggerId]);
    expect(view.callback_id).toBe('es_node_picker');
    const select = selectOf(view);
    expect(select.type).toBe('static_select');
    // One option a node, its figures those of _cat/allocation and the zone attribute.
    const alloc = await h.es.cat.allocation({ format: 'json', bytes: 'b' });
    const zones: Record<string, string> = {
      'node-1': 'primary',
      'node-2': 'secondary',
      'node-3': 'spot',
      'node-4': 'primary',
    };
    expect(select.options.map((o) => o.value)).toEqual(['node-1', 'node-2', 'node-3', 'node-4']);
    for (const o of select.options) {
      const row = alloc.find((r) => r.node === o.value)!;
      expect(o.text.text).toContain(
        `${o.value} · zone ${zones[o.value]} · ${row.shards} shards · disk ${row['disk.percent']}%`,
      );
    }
    expect(h.ephemeralTexts(alice.user_id)).toEqual([]); // no usage error: the picker answered

    await h.driver.submitView(pick(view, 'node-3'), alice);
    const picked = await eventually(() => h.view.ephemerals(alice.user_id)[0], 'the dry-run plan of the pick');
    expect(picked.via).toBe('chat.postEphemeral');
    await h.driver.command('/es', 'drain node-3 --dry-run', alice);
    const typed = await eventually(() => h.view.ephemerals(alice.user_id)[1], 'the dry-run plan typed');
    expect(picked.text).toContain('node-3');
    expect(picked.blocks).toEqual(typed.blocks);
    expect(picked.text).toBe(typed.text);
    expect(h.cards()).toEqual([]); // a dry run: no card, no run
    expect(h.proxy.settingsWrites()).toEqual([]);
  });

  test('a pick without --dry-run posts the run card for the requester, waiting for approval', async () => {
    const h = await start();
    await h.driver.command('/es', 'maintain', alice);
    const view = await eventually(() => h.stack.slack.views()[0], 'the picker modal');
    expect(JSON.stringify(view.title)).toContain('Maintain a node');
    await h.driver.submitView(pick(view, 'node-2'), alice);
    const card = await h.cardWithButton('run_approve');
    expect(h.cardText(card)).toContain('node-2');
    expect(h.cardText(card)).toContain(`requested by @${alice.user_id}`);
    expect(h.proxy.settingsWrites()).toEqual([]);
  });

  test('a submit without a node is answered in the modal; a typed node skips the picker', async () => {
    const h = await start();
    await h.driver.command('/es', 'undrain', alice);
    const view = await eventually(() => h.stack.slack.views()[0], 'the picker modal');
    const res = await h.driver.submitView(
      { callback_id: view.callback_id!, private_metadata: view.private_metadata, state: {} },
      alice,
    );
    expect(res.json).toMatchObject({ response_action: 'errors', errors: { node: 'Choose a node.' } });
    await h.driver.command('/es', 'drain nosuchnode', alice);
    await eventually(
      () => h.ephemeralTexts(alice.user_id).find((t) => t.includes('nosuchnode')),
      'the unknown-node answer',
    );
    expect(h.stack.slack.views()).toHaveLength(1);
  });

  test('/es help has buttons for status, recovery and the drain picker; each runs as if typed', async () => {
    const h = await start();
    await h.driver.command('/es', 'help', alice);
    const help = await eventually(() => h.view.ephemerals(alice.user_id)[0], 'the help');
    const buttons = JSON.stringify(help.blocks);
    for (const id of ['help_es_status', 'help_es_recovery', 'help_es_drain']) expect(buttons).toContain(id);
    const message = { channel: CHANNEL, ts: help.ts, blocks: help.blocks ?? [], is_ephemeral: true };
    await h.driver.click({ action_id: 'help_es_status' }, alice, message);
    await eventually(() => h.view.texts().find((t) => t.includes('node-4')), 'the status card in the channel');
    await h.driver.click({ action_id: 'help_es_drain' }, alice, message);
    const view = await eventually(() => h.stack.slack.views()[0], 'the picker modal from the button');
    expect(view.callback_id).toBe('es_node_picker');
  });

  test('who may not drain sees the refusal, not the nodes; their help has no drain button', async () => {
    const h = await start({
      policy: parsePolicy('rules:\n  - command: "es drain"\n    requesters: { users: [U0BOB] }\n', 'policy.yaml'),
    });
    await h.driver.command('/es', 'drain', alice);
    const refusal = await eventually(
      () => h.ephemeralTexts(alice.user_id).find((t) => t.includes('may run')),
      'the refusal',
    );
    expect(refusal).toContain('may run `es drain`');
    expect(h.stack.slack.callsTo('views.open')).toEqual([]);
    await h.driver.command('/es', 'help', alice);
    const help = await eventually(() => h.view.ephemerals(alice.user_id)[1], "alice's help");
    expect(JSON.stringify(help.blocks)).toContain('help_es_status');
    expect(JSON.stringify(help.blocks)).not.toContain('help_es_drain');
    await h.driver.command('/es', 'drain', bob);
    await eventually(() => h.stack.slack.views()[0], "bob's picker");
  });
});
