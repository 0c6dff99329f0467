import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { Engine } from '../../src/engine/index.js';
import { silentLogger } from '../../src/log.js';
import {
  BotMetrics,
  createOpsEndpoints,
  startOpsServer,
  type OpsEndpoints,
  type OpsServer,
} from '../../src/observability/index.js';
import { destroyPrivateRedis, startPrivateRedis, type PrivateRedis } from '../../src/sim/services/private-redis.js';
import { startFakeSlack, type FakeSlack } from '../../src/sim/slack/index.js';
import { eventually } from '../support/wait.js';
import { parsePrometheus, total } from './prometheus-text.js';

interface Answer {
  status: number;
  body: { status: string; reason?: string; checks: Record<string, { ok: boolean; error?: string }> };
}

/**
 * The worker's listener as worker.ts builds it (ops endpoints on a node:http server), over a
 * Redis of this file's own, so that stopping it disturbs no other test.
 */
describe('/healthz, /readyz, /livez on the standalone listener', () => {
  let redis: PrivateRedis;
  let slack: FakeSlack;
  let engine: Engine;
  let ops: OpsEndpoints;
  let server: OpsServer;
  const get = async (path: string): Promise<Answer> => {
    const res = await fetch(`${server.url}${path}`);
    return { status: res.status, body: (await res.json()) as Answer['body'] };
  };

  beforeAll(async () => {
    redis = await startPrivateRedis();
    slack = await startFakeSlack();
    const metrics = new BotMetrics({ defaultMetrics: false, sourceTimeoutMs: 200 });
    engine = new Engine({
      redis: redis.url,
      prefix: 'health',
      runbooks: [],
      reporter: { onEvent: () => Promise.resolve() },
      approvers: { canApprove: () => Promise.resolve(false) },
    });
    metrics.watch(engine);
    ops = createOpsEndpoints({
      metrics,
      redisUrl: redis.url,
      slack: { botToken: slack.botToken, slackApiUrl: slack.apiUrl },
      log: silentLogger,
      slackCacheMs: 0,
      timeoutMs: 1_000,
    });
    server = await startOpsServer(ops.routes, { port: 0, host: '127.0.0.1' });
  });

  afterAll(async () => {
    // Clients that lived through the Redis restart can hang on quit; cleanup must not hang the suite.
    const bounded = (p: Promise<unknown> | undefined) => Promise.race([p, new Promise((r) => setTimeout(r, 5_000))]);
    await bounded(server?.close());
    await bounded(ops?.close());
    await bounded(engine?.close());
    await bounded(slack?.close());
    if (redis) await bounded(destroyPrivateRedis(redis));
  });

  test('readiness waits for start-up; health and readiness pass with Redis and Slack up', async () => {
    expect((await get('/readyz')).body).toMatchObject({ status: 'unavailable', reason: 'starting' });
    ops.health.markStarted();
    const health = await eventually(async () => {
      const a = await get('/healthz');
      return a.status === 200 ? a : undefined;
    }, 'a healthy first answer');
    expect(health.body).toMatchObject({ status: 'ok', checks: { redis: { ok: true }, slack: { ok: true } } });
    expect((await get('/readyz')).status).toBe(200);
    expect(slack.calls.some((c) => c.method === 'auth.test')).toBe(true);
  });

  test(
    'Redis stopped: /healthz and /readyz answer 503 naming Redis, /livez stays 200, /metrics still answers; ' +
      'Redis back: 200',
    async () => {
      await redis.stop();
      const down = await get('/healthz');
      expect(down.status).toBe(503);
      expect(down.body.status).toBe('unavailable');
      expect(down.body.reason).toMatch(/^redis: /);
      expect(down.body.checks.slack?.ok).toBe(true);
      expect((await get('/readyz')).status).toBe(503);
      expect((await fetch(`${server.url}/livez`)).status).toBe(200);
      // The Redis-fed gauges are left out, and the scrape says so, rather than hanging.
      const scraped = await fetch(`${server.url}/metrics`);
      expect(scraped.status).toBe(200);
      expect(total(parsePrometheus(await scraped.text()), 'opsbot_metrics_source_errors_total')).toBeGreaterThan(0);

      await redis.start();
      const back = await eventually(
        async () => {
          const a = await get('/healthz');
          return a.status === 200 ? a : undefined;
        },
        '/healthz to pass again',
        20_000,
      );
      expect(back.body.checks.redis?.ok).toBe(true);
      expect((await get('/readyz')).status).toBe(200);
    },
    60_000,
  ); // stopping and starting a redis-server can take seconds each on a loaded machine

  test('Slack refusing the token: 503 naming Slack and its error', async () => {
    slack.failNext('auth.test', { error: 'invalid_auth' });
    const a = await get('/healthz');
    expect(a.status).toBe(503);
    expect(a.body.reason).toMatch(/^slack: .*invalid_auth/);
    expect(a.body.checks.redis?.ok).toBe(true);
    expect((await get('/healthz')).status).toBe(200);
  });

  test('shutting down: readiness fails at once, liveness does not', async () => {
    ops.health.markStopping();
    expect((await get('/readyz')).body).toMatchObject({ status: 'unavailable', reason: 'shutting down' });
    expect((await fetch(`${server.url}/livez`)).status).toBe(200);
  });

  test('an unknown path answers 404 listing the endpoints', async () => {
    const res = await fetch(`${server.url}/nope`);
    expect(res.status).toBe(404);
    expect(await res.text()).toContain('/healthz');
  });
});
