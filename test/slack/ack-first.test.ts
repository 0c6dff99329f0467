import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { AckFirst } from '../../src/slack/ack-first.js';

/** A real HTTP server whose requests are answered only when the test says so. */
function serve(ackFirst: AckFirst) {
  const pending: (() => void)[] = [];
  const server = createServer(
    ackFirst.wrap((_req, res) => {
      pending.push(() => res.end('ok'));
    }),
  );
  return { server, pending };
}
const listen = (s: Server) =>
  new Promise<number>((r) => s.listen(0, '127.0.0.1', () => r((s.address() as AddressInfo).port)));
const send = (port: number) =>
  new Promise<void>((resolve, reject) => {
    const req = request({ port, host: '127.0.0.1', method: 'POST' }, (res) => {
      res.resume();
      res.on('end', resolve);
    });
    req.on('error', reject);
    req.end('x');
  });
const until = async (ok: () => boolean) => {
  while (!ok()) await new Promise((r) => setTimeout(r, 2));
};

describe('AckFirst: slow work starts once every received request is answered', () => {
  let server: Server | undefined;
  afterEach(() => new Promise<void>((r) => (server ? server.close(() => r()) : r())));

  it('holds the slow part while any request waits for its answer, until the last is answered', async () => {
    const ackFirst = new AckFirst(60_000);
    const s = serve(ackFirst);
    server = s.server;
    const port = await listen(s.server);
    const answered = [send(port), send(port)];
    await until(() => s.pending.length === 2);
    let started = false;
    const slow = ackFirst.quiet().then(() => (started = true));
    s.pending[0]!();
    await answered[0];
    await new Promise((r) => setTimeout(r, 20));
    expect(started).toBe(false); // one request still waits for its ack
    s.pending[1]!();
    await answered[1];
    await slow;
    expect(started).toBe(true);
  });

  it('starts the slow part on the next turn when nothing waits', async () => {
    const ackFirst = new AckFirst(60_000);
    const t0 = performance.now();
    await ackFirst.quiet();
    expect(performance.now() - t0).toBeLessThan(1_000);
  });

  it('never holds the slow part longer than its bound while requests keep waiting', async () => {
    const ackFirst = new AckFirst(50);
    const s = serve(ackFirst);
    server = s.server;
    const port = await listen(s.server);
    const answered = send(port);
    await until(() => s.pending.length === 1);
    const t0 = performance.now();
    await ackFirst.quiet();
    expect(performance.now() - t0).toBeGreaterThanOrEqual(45);
    s.pending[0]!();
    await answered;
  });
});
