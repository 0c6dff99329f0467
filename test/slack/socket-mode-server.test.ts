import { afterEach, describe, expect, test } from 'vitest';
import { WebSocket } from 'ws';
import { SocketModeServer } from '../../src/sim/slack/socket-mode-server.js';
import { startFakeSlack, type FakeSlack } from '../../src/sim/slack/index.js';
import { eventually } from '../support/wait.js';

/** A bare client: the messages it got, in order. */
async function connect(url: string): Promise<{ ws: WebSocket; got: Record<string, unknown>[] }> {
  const ws = new WebSocket(url);
  const got: Record<string, unknown>[] = [];
  ws.on('message', (d: Buffer) => got.push(JSON.parse(d.toString('utf8')) as Record<string, unknown>));
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  return { ws, got };
}

describe('Socket Mode stand-in', () => {
  let fake: FakeSlack | undefined;
  let server: SocketModeServer | undefined;
  const clients: WebSocket[] = [];
  afterEach(async () => {
    for (const c of clients.splice(0)) c.terminate();
    await server?.close();
    await fake?.close();
  });

  const open = async (token?: string) => {
    const res = await fetch(`${fake!.apiUrl}apps.connections.open`, {
      method: 'POST',
      headers: token ? { authorization: `Bearer ${token}` } : {},
    });
    return (await res.json()) as { ok: boolean; url?: string; error?: string };
  };

  test('apps.connections.open hands a one-time URL to the app-level token only', async () => {
    fake = await startFakeSlack();
    server = await SocketModeServer.start();
    expect(await open(server.appToken)).toEqual({ ok: false, error: 'invalid_auth' }); // Socket Mode not on yet
    fake.enableSocketMode(server);
    expect(await open()).toEqual({ ok: false, error: 'not_authed' });
    expect(await open(fake.botToken)).toEqual({ ok: false, error: 'not_allowed_token_type' });
    expect(await open('xapp-1-someone-else')).toEqual({ ok: false, error: 'invalid_auth' });
    const { ok, url } = await open(server.appToken);
    expect(ok).toBe(true);
    expect(url).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/link\/\?ticket=[0-9a-f]{24}&app_id=/);

    const first = await connect(url!);
    clients.push(first.ws);
    await eventually(() => first.got[0], 'hello');
    expect(first.got[0]).toMatchObject({ type: 'hello', num_connections: 1 });
    // The same URL a second time is refused at the upgrade.
    const again = new WebSocket(url!);
    again.on('error', () => undefined); // the refused upgrade is the point
    const status = await new Promise<number>((resolve) =>
      again.once('unexpected-response', (req, res) => {
        resolve(res.statusCode ?? 0);
        req.destroy();
      }),
    );
    expect(status).toBe(401);
  });

  test('envelopes: acked with a payload, never acked, acked late; unacked() names the last two', async () => {
    server = await SocketModeServer.start({ ackTimeoutMs: 300 });
    await expect(server.deliver('slash_commands', {})).rejects.toThrow(/no Socket Mode connection is open/);
    const { ws, got } = await connect(server.connectionUrl());
    clients.push(ws);
    await eventually(() => server!.connections === 1, 'the connection');
    ws.on('message', (d: Buffer) => {
      const m = JSON.parse(d.toString('utf8')) as { envelope_id?: string; payload?: { text?: string } };
      if (m.payload?.text === 'ack me')
        ws.send(JSON.stringify({ envelope_id: m.envelope_id, payload: { text: 'ok' } }));
    });

    const acked = await server.deliver('slash_commands', { command: '/es', text: 'ack me' });
    expect(acked.ackedAt).toBeDefined();
    expect(acked.ackPayload).toEqual({ text: 'ok' });
    const envelope = got.find((m) => m.envelope_id === acked.envelopeId);
    expect(envelope).toMatchObject({ type: 'slash_commands', accepts_response_payload: true });

    const ignored = await server.deliver('interactive', { type: 'block_actions' });
    expect(ignored.ackedAt).toBeUndefined();
    const late = await server.deliver('events_api', { event: { type: 'app_home_opened' } });
    expect(late.ackedAt).toBeUndefined();
    ws.send(JSON.stringify({ envelope_id: late.envelopeId }));
    await eventually(() => late.ackedAt !== undefined, 'the late ack recorded');
    expect(server.unacked().map((d) => d.envelopeId)).toEqual([ignored.envelopeId, late.envelopeId]);
    expect(got.find((m) => m.envelope_id === late.envelopeId)).toMatchObject({ accepts_response_payload: false });
  });

  test('pings each connection, answers the client’s pings, and sends `disconnect`', async () => {
    server = await SocketModeServer.start({ pingIntervalMs: 50 });
    const { ws, got } = await connect(server.connectionUrl());
    clients.push(ws);
    await new Promise<void>((resolve) => ws.once('ping', () => resolve()));
    const pong = new Promise<string>((resolve) => ws.once('pong', (d: Buffer) => resolve(d.toString())));
    ws.ping('are you there');
    expect(await pong).toBe('are you there');
    server.disconnectAll();
    await eventually(() => got.find((m) => m.type === 'disconnect'), 'the disconnect message');
    expect(got.find((m) => m.type === 'disconnect')).toMatchObject({ reason: 'refresh_requested' });
  });
});
