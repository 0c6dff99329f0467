import type { Queue } from 'bullmq';
import type { RedisOptions } from 'ioredis';
import type { Logger } from '../log.js';
import { boltLogger } from '../slack/bolt-logger.js';
import { HealthChecks, redisPing, slackAuthTest } from './health-checks.js';
import type { BotMetrics } from './metrics.js';
import { opsRoutes, type OpsRoute } from './ops-routes.js';
import { queueDashboard } from './queue-dashboard.js';
import type { SlackFetch } from './slack-metrics.js';

export interface OpsEndpointsOptions {
  metrics: BotMetrics;
  /** A redis:// URL, or ioredis options (Sentinel: sentinels and master name). */
  redisUrl: string | RedisOptions;
  slack: { botToken: string; slackApiUrl?: string; fetch?: SlackFetch };
  log: Logger;
  /** The web process's queue dashboard: no token, no dashboard. */
  dashboard?: { queue: Queue; token?: string; readOnly?: boolean };
  /** How long an auth.test result is reused (default 15 s; tests 0). */
  slackCacheMs?: number;
  timeoutMs?: number;
}

export interface OpsEndpoints {
  routes: OpsRoute[];
  health: HealthChecks;
  close(): Promise<void>;
}

/**
 * Everything an entry point needs to serve the operators' endpoints: health checks of Redis and
 * Slack, /metrics, and (web process) the dashboard. Mount `routes` on Bolt's receiver
 * (AppOptions.customRoutes) or on startOpsServer; call health.markStarted() once serving.
 */
export function createOpsEndpoints(opts: OpsEndpointsOptions): OpsEndpoints {
  const redis = redisPing(opts.redisUrl);
  const health = new HealthChecks({
    checks: {
      redis: redis.check,
      // The probe's client logs errors only: a failed probe is already the 503's reason.
      slack: slackAuthTest(opts.slack.botToken, {
        ...opts.slack,
        logger: boltLogger(opts.log.child({ client: 'health' }, { level: 'error' })),
      }),
    },
    cacheMs: { slack: opts.slackCacheMs ?? 15_000 },
    ...(opts.timeoutMs ? { timeoutMs: opts.timeoutMs } : {}),
  });
  const token = opts.dashboard?.token;
  const dashboard =
    opts.dashboard && token
      ? queueDashboard({ queue: opts.dashboard.queue, token, readOnly: opts.dashboard.readOnly ?? true })
      : undefined;
  if (opts.dashboard && !token) opts.log.info('queue dashboard disabled: OPSBOT_DASHBOARD_TOKEN is not set');
  const routes = opsRoutes({ health, metrics: opts.metrics, log: opts.log, ...(dashboard ? { dashboard } : {}) });
  return { routes, health, close: () => redis.close() };
}
