import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ConsolePortInUseError, ConsoleServer } from '../../src/sim/console/index.js';
import { LOCAL_CHANNEL } from '../../src/sim/terminal-client.js';
import { eventually } from '../support/wait.js';
import { startConsoleStack, type ConsoleStack } from './support/console-stack.js';

/** Reads a Server-Sent Events stream into a list of { event, data }. */
function readEvents(url: string): { events: Array<{ event: string; data: unknown }>; stop(): void } {
  const events: Array<{ event: string; data: unknown }> = [];
  const abort = new AbortController();
  void (async () => {
    const res = await fetch(url, { signal: abort.signal });
    const decoder = new TextDecoder();
    let buffer = '';
    for await (const chunk of res.body!) {
      buffer += decoder.decode(chunk as Uint8Array, { stream: true });
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const frame = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const event = /^event: (.*)$/m.exec(frame)?.[1];
        const data = /^data: (.*)$/m.exec(frame)?.[1];
        if (event && data) events.push({ event, data: JSON.parse(data) });
      }
    }
  })().catch(() => undefined);
  return { events, stop: () => abort.abort() };
}

describe('console server', () => {
  let s: ConsoleStack;
  const url = (path: string) => new URL(path, s.console.url).toString();
  const post = async (path: string, body: unknown, method = 'POST') => {
    const res = await fetch(url(path), {
      method,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as { ok: boolean; error?: string; speed?: number } };
  };

  beforeAll(async () => {
    s = await startConsoleStack();
  });
  afterAll(async () => {
    await s?.close();
  });

  test('a taken port is refused with one line that says what to do', async () => {
    const holder: Server = createServer();
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    const { port } = holder.address() as AddressInfo;
    try {
      const err = await ConsoleServer.listen({ port }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(ConsolePortInUseError);
      expect((err as Error).message).toBe(
        `port ${port} on 127.0.0.1 is in use: local mode may already be running (open http://127.0.0.1:${port}/), or set OPSBOT_CONSOLE_PORT to a free port`,
      );
    } finally {
      holder.close();
    }
  });

  test("until local mode has started, the page's API says so", async () => {
    const early = await ConsoleServer.listen({ port: 0 });
    try {
      expect((await fetch(early.url)).status).toBe(200);
      const res = await fetch(new URL('/api/state', early.url));
      expect(res.status).toBe(503);
      expect(await res.json()).toEqual({ ok: false, error: 'local mode is still starting' });
    } finally {
      await early.close();
    }
  });

  test('serves the page and its files, and nothing outside them', async () => {
    const page = await fetch(url('/'));
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(await page.text()).toContain('/static/app.js');
    expect((await fetch(url('/static/blocks.js'))).headers.get('content-type')).toContain('text/javascript');
    expect((await fetch(url('/static/%2e%2e/console-server.ts'))).status).toBe(404);
    // A file of an allowed type that exists, outside the page's folder.
    expect((await fetch(url('/static/..%2f..%2f..%2f..%2fnode_modules%2fplaywright-core%2findex.js'))).status).toBe(
      404,
    );
    expect((await fetch(url('/static/missing.js'))).status).toBe(404);
  });

  test(
    'a typed command goes to the bot as a signed slash command; ' + 'its answer arrives on the event stream',
    async () => {
      const stream = readEvents(url('/api/events'));
      try {
        expect(await post('/api/command', { user: 'carol', text: '/es status' })).toEqual({
          status: 200,
          body: { ok: true },
        });
        const echo = await eventually(() => stream.events.find((e) => e.event === 'echo'), 'the echo of the command');
        expect(echo.data).toMatchObject({ user: 'carol', text: '/es status' });
        const message = await eventually(() => stream.events.find((e) => e.event === 'message'), 'the status message');
        expect((message.data as { text: string }).text).toMatch(/^Cluster local \(.+\) is green/);
        // The snapshot a page loads holds the same message, as the Slack stand-in stores it.
        const state = (await (await fetch(url('/api/state'))).json()) as {
          messages: Array<{ ts: string; blocks: unknown }>;
          echoes: unknown[];
        };
        const stored = s.stack.slack.messages(LOCAL_CHANNEL).at(-1)!;
        expect(state.messages.find((m) => m.ts === stored.ts)?.blocks).toEqual(stored.blocks);
        expect(state.echoes).toHaveLength(1);
      } finally {
        stream.stop();
      }
    },
  );

  test(
    'refuses unknown people, plain chat, buttons that are no longer on the message, and bodies that are not ' +
      'JSON or are forms',
    async () => {
      expect(await post('/api/command', { user: 'mallory', text: '/es status' })).toEqual({
        status: 400,
        body: { ok: false, error: 'unknown user mallory' },
      });
      expect((await post('/api/command', { user: 'alice', text: 'hello' })).body.error).toBe(
        'Only slash commands reach the bot here: try /es help or /ops help.',
      );
      const status = s.stack.slack.messages(LOCAL_CHANNEL).at(-1)!;
      const click = await post('/api/click', { user: 'alice', ts: status.ts, action_id: 'run_approve' });
      expect(click.status).toBe(409);
      expect(click.body.error).toMatch(/^That button is no longer on the message/);
      expect((await post('/api/click', { user: 'alice', ts: '1.000000', action_id: 'run_approve' })).status).toBe(404);
      // A form another site could post to localhost is not taken.
      const form = await fetch(url('/api/command'), {
        method: 'POST',
        body: new URLSearchParams({ user: 'alice', text: '/es status' }),
      });
      expect(form.status).toBe(415);
      const garbled = await fetch(url('/api/command'), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{not json',
      });
      expect(garbled.status).toBe(400);
      expect(await garbled.json()).toEqual({ ok: false, error: 'the request body must be JSON' });
    },
  );

  test(
    "the Home tab: opening it is Slack's app_home_opened (the tab arrives as an event); a click before " +
      'it is drawn, or on a button it lacks, is refused',
    async () => {
      expect((await post('/api/home/click', { user: 'carol', action_id: 'home_dm_toggle' })).body.error).toBe(
        'Your Home tab is not drawn yet: open it again.',
      );
      expect((await post('/api/home/open', { user: 'mallory' })).status).toBe(400);
      const stream = readEvents(url('/api/events'));
      try {
        expect(await post('/api/home/open', { user: 'carol' })).toEqual({ status: 200, body: { ok: true } });
        const pushed = await eventually(
          () => stream.events.find((e) => e.event === 'home'),
          "carol's Home tab pushed to the page",
        );
        expect(pushed.data).toMatchObject({ type: 'home', user_id: 'U0CAROL' });
        // The tab is not a modal: nobody's screen gets a dialog for it.
        expect(stream.events.some((e) => e.event === 'view')).toBe(false);
        const state = (await (await fetch(url('/api/state'))).json()) as { homes: Record<string, unknown>; views: [] };
        expect(Object.keys(state.homes)).toEqual(['U0CAROL']);
        expect(state.views).toEqual([]);
        const bogus = await post('/api/home/click', { user: 'carol', action_id: 'run_approve' });
        expect(bogus.status).toBe(409);
        expect(bogus.body.error).toMatch(/^That button is no longer on your Home tab/);
      } finally {
        stream.stop();
      }
    },
  );

  test("the cluster summary and the speed control are the simulator's own", async () => {
    const summary = (await (await fetch(url('/api/cluster'))).json()) as {
      health: string;
      nodes: Array<{ name: string; shards: number; zone: string }>;
    };
    const sim = await s.simState();
    expect(summary.health).toBe('green');
    expect(summary.nodes.map((n) => [n.name, n.shards])).toEqual(sim.nodes.map((n) => [n.name, n.shards]));
    expect(new Set(summary.nodes.map((n) => n.zone))).toEqual(new Set(['primary', 'secondary', 'spot']));

    expect(await post('/api/speed', { factor: 250 }, 'PUT')).toEqual({ status: 200, body: { ok: true, speed: 250 } });
    expect((await s.simState()).speed).toBe(250);
    expect((await post('/api/speed', { factor: -1 }, 'PUT')).status).toBe(400);
    expect((await s.simState()).speed).toBe(250);
  });
});
