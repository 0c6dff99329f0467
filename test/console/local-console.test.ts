import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createConnection } from 'node:net';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, inject, test } from 'vitest';
import { freePort } from '../../src/sim/services/free-port.js';
import { eventually } from '../support/wait.js';

interface LocalMode {
  child: ChildProcessWithoutNullStreams;
  out(): string;
  err(): string;
  exited: Promise<number | null>;
}

const running: LocalMode[] = [];

/** `npm run local` as a person runs it (through tsx, without the build), with this environment. */
function startLocalMode(env: Record<string, string>): LocalMode {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main/local.ts'], {
    env: { ...process.env, SLACK_BOT_TOKEN: '', SLACK_SIGNING_SECRET: '', LOG_LEVEL: 'silent', ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => {
    out += d;
  });
  child.stderr.on('data', (d) => {
    err += d;
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  const mode = { child, out: () => out, err: () => err, exited };
  running.push(mode);
  return mode;
}

async function consoleUrl(m: LocalMode): Promise<string> {
  return eventually(
    () => /open (http:\/\/127\.0\.0\.1:\d+\/)/.exec(m.out())?.[1],
    `the console URL (stderr: ${m.err()})`,
    30_000,
  );
}

function answers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createConnection({ host: '127.0.0.1', port }, () => {
      s.destroy();
      resolve(true);
    });
    s.on('error', () => resolve(false));
  });
}

async function keysUnder(prefix: string): Promise<string[]> {
  const redis = new Redis(inject('redisUrl'));
  try {
    return await redis.keys(`${prefix}*`);
  } finally {
    redis.disconnect();
  }
}

describe('npm run local: the console by default', () => {
  afterEach(() => {
    for (const m of running.splice(0)) m.child.kill('SIGKILL');
  });

  test(
    'with Redis already running: prints the console URL, refuses a second start on the taken port in one line, ' +
      'leaves no keys; started again with its own Redis, removes it',
    async () => {
      const port = await freePort();
      const prefix = `consolelocal${process.pid}`;
      const env = { OPSBOT_CONSOLE_PORT: String(port), REDIS_URL: inject('redisUrl'), OPSBOT_PREFIX: prefix };
      const first = startLocalMode(env);
      expect(await consoleUrl(first)).toBe(`http://127.0.0.1:${port}/`);
      expect(first.out()).toContain('npm run local -- --terminal');

      // Something to leave behind in the shared Redis: a run waiting for approval.
      const command = await fetch(`http://127.0.0.1:${port}/api/command`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ user: 'alice', text: '/es drain node-3' }),
      });
      expect(await command.json()).toEqual({ ok: true });
      await eventually(async () => (await keysUnder(prefix)).length > 0, 'the run in Redis');

      const second = startLocalMode(env);
      expect(await second.exited).toBe(1);
      // One line, no stack trace (a library's own warnings, if any, may come before it).
      expect(second.err()).toMatch(
        new RegExp(
          `(^|\\n)opsbot local mode failed: port ${port} on 127\\.0\\.0\\.1 is in use: local mode may already be running \\(open http://127\\.0\\.0\\.1:${port}/\\), or set OPSBOT_CONSOLE_PORT to a free port\\n$`,
        ),
      );
      expect(second.err()).not.toMatch(/^\s+at /m);
      expect(second.out()).toBe('');
      expect(await answers(port)).toBe(true); // the first one is unharmed

      first.child.kill('SIGINT');
      expect(await first.exited).toBe(0);
      expect(await keysUnder(prefix)).toEqual([]);

      // Started again on the same port, this time with no REDIS_URL: it brings its own Redis and
      // removes it when stopped.
      const again = startLocalMode({ ...env, REDIS_URL: '' });
      const url = await consoleUrl(again);
      const state = (await (await fetch(new URL('/api/state', url))).json()) as {
        messages: unknown[];
        users: Array<{ name: string; role: string }>;
      };
      expect(state.messages).toEqual([]); // a new simulated estate, a new channel
      expect(state.users.map((u) => `${u.name} ${u.role}`)).toEqual([
        'alice requests',
        'bob approves',
        'carol approves',
      ]);
      const redisPort = Number(/redis redis:\/\/127\.0\.0\.1:(\d+)/.exec(again.out())?.[1]);
      expect(await answers(redisPort)).toBe(true);
      again.child.kill('SIGTERM');
      expect(await again.exited).toBe(0);
      expect(await answers(redisPort)).toBe(false);
    },
    90_000,
  );
});
