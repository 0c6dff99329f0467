import { once } from 'node:events';
import { webApi } from '@slack/bolt';
import { Redis, type RedisOptions } from 'ioredis';
import type { SlackFetch } from './slack-metrics.js';

export interface CheckResult {
  ok: boolean;
  ms: number;
  error?: string;
}
export interface HealthReport {
  ok: boolean;
  /** One line naming what is wrong, for a 503 body and the operator reading it. */
  reason?: string;
  checks: Record<string, CheckResult>;
}

/** A dependency check: resolves when reachable, throws saying why not. */
export type Check = () => Promise<void>;

export interface HealthChecksOptions {
  checks: Record<string, Check>;
  /** A check that takes longer counts as failed. */
  timeoutMs?: number;
  /**
   * How long a check's result is reused, per check name (default none). Probes arrive every few
   * seconds from each orchestrator; Slack's auth.test does not need to be called that often.
   */
  cacheMs?: Record<string, number>;
}

/**
 * The processes' dependency checks (Redis and Slack), run together with a deadline each. Health
 * is "can this process do its work now"; readiness adds "has it finished starting and is it not
 * shutting down"; liveness (see ops-routes) is only "does the event loop answer".
 */
export class HealthChecks {
  private readonly cache = new Map<string, { at: number; result: CheckResult }>();
  private started = false;
  private stopping = false;

  constructor(private readonly opts: HealthChecksOptions) {}

  /** Start-up is over (the worker consumes, the receiver listens): readiness may now pass. */
  markStarted(): void {
    this.started = true;
  }
  /** SIGTERM received: readiness fails at once so that load balancers stop sending work. */
  markStopping(): void {
    this.stopping = true;
  }

  async health(): Promise<HealthReport> {
    const names = Object.keys(this.opts.checks);
    const results = await Promise.all(names.map((n) => this.run(n)));
    const checks = Object.fromEntries(names.map((n, i) => [n, results[i]!]));
    const failed = names.filter((n) => !checks[n]!.ok);
    return failed.length === 0
      ? { ok: true, checks }
      : { ok: false, reason: failed.map((n) => `${n}: ${checks[n]!.error}`).join('; '), checks };
  }

  async readiness(): Promise<HealthReport> {
    if (this.stopping) return { ok: false, reason: 'shutting down', checks: {} };
    if (!this.started) return { ok: false, reason: 'starting', checks: {} };
    return this.health();
  }

  private async run(name: string): Promise<CheckResult> {
    const ttl = this.opts.cacheMs?.[name] ?? 0;
    const cached = this.cache.get(name);
    if (cached && Date.now() - cached.at < ttl) return cached.result;
    const t0 = performance.now();
    let result: CheckResult;
    try {
      await withTimeout(this.opts.checks[name]!(), this.opts.timeoutMs ?? 3_000);
      result = { ok: true, ms: Math.round(performance.now() - t0) };
    } catch (err) {
      result = {
        ok: false,
        ms: Math.round(performance.now() - t0),
        error: err instanceof Error ? err.message : String(err),
      };
    }
    this.cache.set(name, { at: Date.now(), result });
    return result;
  }
}

async function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([p, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * A Redis PING on a connection of its own. The engine's connections queue commands while Redis
 * is away (so that runs resume); this one has no offline queue, so a PING fails at once with the
 * last connection error, and ioredis keeps reconnecting in the background.
 */
export function redisPing(target: string | RedisOptions): { check: Check; close(): Promise<void> } {
  let lastError: string | undefined;
  const own: RedisOptions = {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    connectTimeout: 2_000,
    retryStrategy: (times) => Math.min(times * 200, 1_000),
  };
  // A Sentinel target (options) follows the master through a failover like every other connection.
  const redis = typeof target === 'string' ? new Redis(target, own) : new Redis({ ...target, ...own });
  redis.on('error', (err: Error) => {
    lastError = err.message;
  });
  redis.on('ready', () => {
    lastError = undefined;
  });
  const check: Check = async () => {
    if (redis.status === 'connecting' || redis.status === 'connect') {
      // Just started: give the first connection a moment rather than failing the first probe.
      await Promise.race([once(redis, 'ready'), new Promise((r) => setTimeout(r, 1_000).unref())]);
    }
    if (redis.status !== 'ready') throw new Error(`not connected (${lastError ?? redis.status})`);
    const pong: string = await redis.ping();
    if (pong !== 'PONG') throw new Error(`PING answered ${pong}`);
  };
  return {
    check,
    close: () => {
      redis.disconnect();
      return Promise.resolve();
    },
  };
}

/**
 * Slack's auth.test with the bot token, on a client that does not retry: the bot's own client
 * retries for minutes, which is right for a card update and wrong for a health probe.
 */
export function slackAuthTest(
  token: string,
  opts: { slackApiUrl?: string; fetch?: SlackFetch; logger?: webApi.Logger } = {},
): Check {
  const client = new webApi.WebClient(token, {
    ...(opts.slackApiUrl ? { slackApiUrl: opts.slackApiUrl } : {}),
    ...(opts.fetch ? { fetch: opts.fetch } : {}),
    // A failed probe is reported in the 503's reason; the client need not also print it.
    ...(opts.logger ? { logger: opts.logger } : { logLevel: webApi.LogLevel.ERROR }),
    retryConfig: { retries: 0 },
    timeout: 3_000,
  });
  return async () => {
    const res = await client.auth.test();
    if (!res.ok) throw new Error(`auth.test answered ${res.error ?? 'not ok'}`);
  };
}
