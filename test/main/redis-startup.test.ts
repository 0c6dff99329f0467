import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { Writable } from 'node:stream';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { checkRedisSafety } from '../../src/main/redis-safety.js';
import { describeRedisTarget, redisTargetFromEnv, sentinelOptions } from '../../src/main/redis-connection.js';
import { loadEnv } from '../../src/config/env.js';
import { destroyPrivateRedis, startPrivateRedis, type PrivateRedis } from '../../src/sim/services/private-redis.js';
import { SIM_DEFAULTS } from '../../src/sim/slack/index.js';
import { judgeRedisAtStartup } from '../../src/main/redis-startup.js';
import { createLogger } from '../../src/log.js';

/** Redis servers with the settings start-up must refuse or accept, each real. */
const setups = {
  noAof: { appendonly: false },
  evicting: { appendonly: true, args: ['--maxmemory-policy', 'allkeys-lru'] },
  safe: { appendonly: true },
  // A managed Redis: CONFIG renamed away, only INFO left.
  managedNoAof: { appendonly: false, args: ['--rename-command', 'CONFIG', ''] },
  managedSafe: { appendonly: true, args: ['--rename-command', 'CONFIG', ''] },
} as const;

const servers: Partial<Record<keyof typeof setups, PrivateRedis>> = {};
let dir: string;

beforeAll(async () => {
  await Promise.all(
    (Object.keys(setups) as (keyof typeof setups)[]).map(async (k) => {
      const setup: { appendonly: boolean; args?: readonly string[] } = setups[k];
      servers[k] = await startPrivateRedis({ appendonly: setup.appendonly, args: [...(setup.args ?? [])] });
    }),
  );
  dir = mkdtempSync(join(tmpdir(), 'opsbot-redis-startup-'));
  writeFileSync(join(dir, 'opsbot.yaml'), 'defaultCluster: local\nclusters:\n  local:\n    url: http://127.0.0.1:9\n');
});
afterAll(async () => {
  await Promise.all(Object.values(servers).map((s) => destroyPrivateRedis(s)));
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function check(k: keyof typeof setups) {
  const redis = new Redis(servers[k]!.url, { maxRetriesPerRequest: 1 });
  try {
    return await checkRedisSafety(redis);
  } finally {
    redis.disconnect();
  }
}

describe('where Redis is, from the environment', () => {
  const target = (env: NodeJS.ProcessEnv) => redisTargetFromEnv(loadEnv(env));
  test('REDIS_URL, or Sentinel addresses and master name', () => {
    expect(target({ REDIS_URL: 'redis://127.0.0.1:6379' })).toEqual({ target: 'redis://127.0.0.1:6379' });
    expect(target({ REDIS_SENTINELS: '10.0.0.1:26379,sentinel-2:26380', REDIS_SENTINEL_MASTER: 'opsbot' })).toEqual({
      target: {
        sentinels: [
          { host: '10.0.0.1', port: 26379 },
          { host: 'sentinel-2', port: 26380 },
        ],
        name: 'opsbot',
        failoverDetector: true,
        reconnectOnError: expect.any(Function) as unknown,
      },
    });
  });
  test('half a Sentinel setting, both kinds, or neither: the line names what to set', () => {
    expect(target({ REDIS_SENTINELS: '127.0.0.1:26379' })).toEqual({
      problem: expect.stringContaining('REDIS_SENTINEL_MASTER is not set') as string,
    });
    expect(target({ REDIS_SENTINEL_MASTER: 'opsbot' })).toEqual({
      problem: expect.stringContaining('REDIS_SENTINELS is not set') as string,
    });
    expect(target({ REDIS_URL: 'redis://h:1', REDIS_SENTINELS: 'h:2', REDIS_SENTINEL_MASTER: 'opsbot' })).toEqual({
      problem: expect.stringContaining('unset REDIS_URL') as string,
    });
    expect(target({})).toEqual({ problem: expect.stringContaining('REDIS_URL is not set') as string });
    expect(() => target({ REDIS_SENTINELS: 'no-port' })).toThrow(/REDIS_SENTINELS: must be host:port,host:port/);
  });
  test('a password never shows in the description', () => {
    expect(describeRedisTarget('redis://:s3cret@10.0.0.5:6379/2')).toBe('redis://10.0.0.5:6379/2');
    expect(describeRedisTarget(sentinelOptions('a:1,b:2', 'm', 's3cret'))).toBe('Sentinel master "m" via a:1,b:2');
  });
});

describe('the Redis settings check', () => {
  test('AOF off: the problem names appendonly yes', async () => {
    const r = await check('noAof');
    expect(r.source).toBe('config');
    expect(r.problems).toEqual([expect.stringMatching(/^appendonly yes \(AOF\)/)]);
  });

  test('an evicting policy: the problem names maxmemory-policy noeviction and the policy found', async () => {
    const r = await check('evicting');
    expect(r.problems).toEqual([expect.stringMatching(/^maxmemory-policy noeviction \(it is allkeys-lru\)/)]);
  });

  test('AOF on and noeviction: nothing to change, nothing unchecked', async () => {
    expect(await check('safe')).toEqual({ problems: [], unchecked: [], source: 'config' });
  });

  test('CONFIG disabled (managed Redis): the same facts from INFO', async () => {
    const bad = await check('managedNoAof');
    expect(bad.source).toBe('info');
    expect(bad.problems).toEqual([expect.stringMatching(/^appendonly yes/)]);
    expect(await check('managedSafe')).toEqual({ problems: [], unchecked: [], source: 'info' });
  });
});

describe('start-up on a Redis: refused unless safe or opted out', () => {
  function judged(env: NodeJS.ProcessEnv) {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const log = createLogger({ level: 'info' }, sink);
    return judgeRedisAtStartup(loadEnv(env), log).then((verdict) => ({
      verdict,
      logged: lines.map((l) => (JSON.parse(l) as { msg: string }).msg),
    }));
  }

  test('an evicting policy: refused, naming the setting and the opt-out', async () => {
    const { verdict } = await judged({ REDIS_URL: servers.evicting!.url });
    expect(verdict).toEqual({
      refusal:
        `Redis (${servers.evicting!.url}) can lose runs; set\n` +
        '  - maxmemory-policy noeviction (it is allkeys-lru): an evicting Redis drops runs and queue jobs when it ' +
        'fills up\n  in redis.conf (or CONFIG SET, then CONFIG REWRITE) and start again; for a throwaway setup, ' +
        'OPSBOT_REDIS_UNSAFE_OK=1 starts anyway',
    });
  });

  test('OPSBOT_REDIS_UNSAFE_OK=1: started, with a warning of what it risks', async () => {
    const { verdict, logged } = await judged({ REDIS_URL: servers.noAof!.url, OPSBOT_REDIS_UNSAFE_OK: '1' });
    expect(verdict).toEqual({ target: servers.noAof!.url });
    expect(logged).toContain(
      'OPSBOT_REDIS_UNSAFE_OK=1: starting on a Redis that can lose runs (throwaway setups only)',
    );
  });

  test('a safe Redis: started, the check logged', async () => {
    const { verdict, logged } = await judged({ REDIS_URL: servers.managedSafe!.url });
    expect(verdict).toEqual({ target: servers.managedSafe!.url });
    expect(logged).toContain('redis settings checked: AOF on, noeviction');
  });

  test('nothing listening: a start-up error that says what to do', async () => {
    await expect(judged({ REDIS_URL: 'redis://127.0.0.1:9' })).rejects.toThrow(
      /could not reach Redis \(redis:\/\/127\.0\.0\.1:9\) to check its settings: .*; start it, or fix REDIS_URL/,
    );
  });

  test('the worker process itself: AOF off, exit 78 and the message on stderr', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main/worker.ts'], {
      env: {
        PATH: process.env.PATH,
        OPSBOT_CONFIG: join(dir, 'opsbot.yaml'),
        SLACK_BOT_TOKEN: SIM_DEFAULTS.botToken,
        SLACK_SIGNING_SECRET: 'redis-startup-signing-secret',
        REDIS_URL: servers.noAof!.url,
        LOG_LEVEL: 'silent',
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).toBe(78);
    expect(stderr).toContain(`opsbot: Redis (${servers.noAof!.url}) can lose runs; set\n  - appendonly yes (AOF)`);
  }, 30_000);
});
