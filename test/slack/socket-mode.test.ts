import { afterEach, describe, expect, test } from 'vitest';
import { SocketModeDriver } from '../../src/sim/slack/socket-mode-driver.js';
import { alice, bob, startDrainHarness, type DrainHarness } from '../support/drain-fixture.js';
import { eventually } from '../support/wait.js';

const EXCLUDE = 'cluster.routing.allocation.exclude._ip';

describe('Socket Mode end to end, through Bolt’s real SocketModeReceiver', () => {
  let h: DrainHarness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  test('/es drain node-3 and bob’s approval as envelopes: the drain completes, all acked in 3 s', async () => {
    h = await startDrainHarness({ socketMode: true });
    const socket = h.stack.socket!;
    expect(h.driver).toBeInstanceOf(SocketModeDriver);
    expect(h.stack.eventsUrl).toMatch(/^ws:\/\/127\.0\.0\.1:\d+$/);
    // The receiver asked the Slack stand-in for its URL with the app-level token, and holds one connection.
    const opens = h.stack.slack.callsTo('apps.connections.open');
    expect(opens.map((c) => c.token)).toEqual([socket.appToken]);
    expect(socket.connections).toBe(1);

    const res = await h.driver.command('/es', 'drain node-3', alice);
    expect(res.status).toBe(200);
    const card = await h.cardWithButton('run_approve');
    expect(h.cardText(card)).toContain('node-3 (172.31.0.39)');
    await h.click('run_approve', bob, card);
    const thread = await eventually(
      () => {
        const t = h!.threadTexts(card.ts);
        return t.some((x) => x.includes('node-3 is empty: safe to stop')) ? t : undefined;
      },
      'the "empty" reply',
      30_000,
    );
    expect(thread.some((t) => t.includes('<@U0BOB> approved *Move shards off the node*'))).toBe(true);
    expect(h.proxy.settingsWrites()).toEqual([{ persistent: { [EXCLUDE]: '172.31.0.39' } }]);
    expect(h.cardText(h.view.card(card.ts)!)).toContain('Done in');

    // An Events API delivery too: bob opens the App Home tab and it is drawn for him.
    expect((await h.driver.event({ type: 'app_home_opened', user: bob.user_id, tab: 'home' })).status).toBe(200);
    await eventually(() => h!.stack.slack.home(bob.user_id), 'bob’s Home tab');

    expect(socket.deliveries.map((d) => d.type)).toEqual(['slash_commands', 'interactive', 'events_api']);
    expect(socket.deliveries.every((d) => d.ackedAt !== undefined && d.ackedAt - d.sentAt <= 3000)).toBe(true);
    expect(socket.unacked()).toEqual([]);
  }, 40_000);

  test('a `disconnect` from Slack: the receiver reconnects with a fresh URL and commands go on', async () => {
    h = await startDrainHarness({ socketMode: true });
    const socket = h.stack.socket!;
    socket.disconnectAll('warning');
    await eventually(
      () => h!.stack.slack.callsTo('apps.connections.open').length === 2,
      'a second connections.open',
      15_000,
    );
    await eventually(() => socket.connections === 1, 'one connection again', 5_000);
    const res = await h.driver.command('/es', 'drain node-3', alice);
    expect(res.status).toBe(200);
    await h.cardWithButton('run_approve');
    expect(socket.unacked()).toEqual([]);
    // No HTTP receiver in Socket Mode: the ops endpoints answer on a listener of their own.
    expect((await fetch(`${h.stack.opsUrl}/livez`)).status).toBe(200);
  }, 30_000);
});
