import { webApi } from '@slack/bolt';
import type { Estate } from '../config/estate.js';
import { Engine, ENGINE_DEFAULTS, type AnyRunbook, type RetryPolicy } from '../engine/index.js';
import type { Logger } from '../log.js';
import { allRunbooks, RedisQueueLooks, type PlanDeps, type RunbookDeps } from '../runbooks/index.js';
import type { DrainTiming } from '../runbooks/es-drain/wait-for-empty.js';
import type { Policy } from '../config/policy.js';
import { AccessPolicy } from '../slack/access-policy.js';
import { SlackDirectory } from '../slack/slack-directory.js';
import { RedisSeenRequests } from '../slack/request-freshness.js';
import { approverDms } from '../slack/home/approver-dm.js';
import { RedisDmPrefs, type DmPrefs } from '../slack/home/dm-prefs.js';
import { CardUpdater, type CardUpdaterOptions } from '../slack/card-updater.js';
import { CARD_UPDATE_TIMEOUT_MS, CardVersions } from '../slack/card-versions.js';
import { SlackRunReporter } from '../slack/run-reporter.js';
import { boltLogger } from '../slack/bolt-logger.js';
import { BOT_DEFAULTS } from './defaults.js';
import type { ServiceTiming } from '../runbooks/activedata-deploy/index.js';
import { ActiveDataService } from '../targets/activedata/index.js';
import { Clusters } from '../targets/elasticsearch/index.js';
import { connectRedis, type RedisTarget } from './redis-connection.js';
import { EtlTargets } from '../targets/etl/index.js';
import { auditSinkFromEnv } from './audit-sink-from-env.js';
import {
  BotMetrics,
  MetricsReporter,
  TeeReporter,
  countingSlackFetch,
  logRateLimits,
  observeEsClient,
  type SlackFetch,
} from '../observability/index.js';

export interface BotOptions {
  estate: Estate;
  /** Who may run what and who approves (the policy file); none: defaults (see AccessPolicy). */
  policy?: Policy;
  /** The bot's Redis: a redis:// URL, or Sentinel options (see redis-connection.ts). */
  redisUrl: RedisTarget;
  prefix?: string;
  botToken: string;
  slackApiUrl?: string;
  log: Logger;
  /** How often a drain polls and when it calls itself stalled (tests shorten these). */
  drainTiming?: DrainTiming;
  cardUpdates?: CardUpdaterOptions;
  approvalTtlMs?: number;
  /** Backoff for transient target errors (ES 429/5xx, connection refused). */
  retry?: RetryPolicy;
  /** How often a queued run looks whether its lock is free (tests shorten it). */
  queueRecheckMs?: number;
  env?: NodeJS.ProcessEnv;
  /** How often a restarted ActiveData service is looked at until it is up (tests shorten it). */
  serviceTiming?: ServiceTiming;
  /** The process's metrics (labelled web/worker/local); default: a new registry. */
  metrics?: BotMetrics;
  /** Why there is no SpotManager host (local mode without an sshd): every /etl command that needs it says so. */
  etlManagerUnavailable?: string;
}

export interface Bot {
  access: AccessPolicy;
  /** Every runbook, as the engine runs them (the Slack app registers their follow-up buttons). */
  runbooks: AnyRunbook[];
  /** What plans and queries read the estate through. */
  plans: PlanDeps;
  clusters: Clusters;
  engine: Engine;
  slack: InstanceType<typeof webApi.WebClient>;
  updater: CardUpdater;
  /** The ActiveData frontend, when opsbot.yaml has a `service:`. */
  activedata?: ActiveDataService;
  /** What /metrics exports: run events, Slack and ES calls, queue depth, process. */
  metrics: BotMetrics;
  /** The fetch that counts Slack calls: give it to Bolt's clients too (clientOptions.fetch). */
  slackFetch: SlackFetch;
  /** Signed Slack requests already seen (the replay cache the web process checks). */
  seenRequests: RedisSeenRequests;
  /** Who wants a DM when their approval is asked (Redis; the Home tab switches it). */
  dmPrefs: DmPrefs;
  close(): Promise<void>;
}

/**
 * Builds the parts both processes share: cluster adapters, the run engine with every runbook,
 * and the Slack side of runs (reporter, approver policy). The web process adds the Bolt app;
 * the worker process calls engine.startWorker().
 */
export function buildBot(opts: BotOptions): Bot {
  const env = opts.env ?? process.env;
  const metrics = opts.metrics ?? new BotMetrics();
  const slackFetch = countingSlackFetch(metrics);
  const clusters = new Clusters(opts.estate, env, (name, client) => observeEsClient(name, client, metrics));
  const activedata = opts.estate.service
    ? new ActiveDataService(opts.estate.service, {
        privateKeyPath: env.SSH_PRIVATE_KEY_PATH ?? '',
        ...(env.SSH_PASSPHRASE ? { passphrase: env.SSH_PASSPHRASE } : {}),
      })
    : undefined;
  const etlTargets = new EtlTargets(
    opts.estate,
    env,
    opts.etlManagerUnavailable ? { managerUnavailable: opts.etlManagerUnavailable } : {},
  );
  // /etl status remembers each queue's depth between looks (the trend); a small connection of its own.
  const etlRedis = connectRedis(opts.redisUrl, { maxRetriesPerRequest: 2, lazyConnect: true });
  etlRedis.on('error', (err) => opts.log.warn({ err }, 'redis (etl queue looks) connection error'));
  const queueLooks = new RedisQueueLooks(etlRedis, `${opts.prefix ?? 'opsbot'}:etl:queue-looks`);
  // Signed requests already seen, on the same small connection: every web process shares them.
  const seenRequests = new RedisSeenRequests(etlRedis, `${opts.prefix ?? 'opsbot'}:slack:seen`);
  // Who turned off the DMs that ask for their approval (the Home tab's switch).
  const dmPrefs = new RedisDmPrefs(etlRedis, `${opts.prefix ?? 'opsbot'}:slack:approval-dm`);
  const slack = new webApi.WebClient(opts.botToken, {
    ...(opts.slackApiUrl ? { slackApiUrl: opts.slackApiUrl } : {}),
    // Retry-After on 429 is honoured by the client itself; 5xx are retried with backoff.
    retryConfig: { retries: 5, factor: 2, minTimeout: 500, maxTimeout: 30_000 },
    fetch: slackFetch,
    // Its own lines (retries, rate limits) as JSON through pino, not as text on the console.
    logger: boltLogger(opts.log.child({ client: 'bot' })),
  });
  logRateLimits(slack, opts.log.child({ component: 'slack' }));
  // Card versions and the workspace's chat.update budget in Redis: right with any number of processes.
  // globalGapMs is the workspace's gap between updates, all processes together (0: no budget).
  const cardUpdates = opts.cardUpdates ?? BOT_DEFAULTS.cardUpdates;
  const cardVersions = new CardVersions(etlRedis, opts.prefix ?? 'opsbot', {
    burst: BOT_DEFAULTS.cardBurst,
    perMinute: cardUpdates.globalGapMs > 0 ? 60_000 / cardUpdates.globalGapMs : 0,
  });
  const updater = new CardUpdater(cardUpdates, opts.log.child({ component: 'cards' }), Date.now, cardVersions);
  // Card updates retry in the updater (with the latest render), not in the client.
  const cardClient = new webApi.WebClient(opts.botToken, {
    ...(opts.slackApiUrl ? { slackApiUrl: opts.slackApiUrl } : {}),
    retryConfig: { retries: 0 },
    // One request at most this long: the card's lock in Redis lasts about as long (card-versions.ts).
    timeout: CARD_UPDATE_TIMEOUT_MS,
    rejectRateLimitedCalls: true,
    fetch: slackFetch,
    logger: boltLogger(opts.log.child({ client: 'cards' })),
  });
  const access = new AccessPolicy(
    opts.policy ?? { rules: [] },
    opts.estate.approvers,
    new SlackDirectory(slack, opts.log),
  );
  const runbookDeps: RunbookDeps = {
    clusters,
    estate: opts.estate,
    timing: opts.drainTiming ?? BOT_DEFAULTS.drainTiming,
    sshKey: { privateKeyPath: env.SSH_PRIVATE_KEY_PATH, passphrase: env.SSH_PASSPHRASE },
    ...(activedata ? { activedata } : {}),
    serviceTiming: opts.serviceTiming ?? BOT_DEFAULTS.serviceTiming,
    etl: etlTargets,
  };
  const runbooks = allRunbooks(runbookDeps);
  const byName = new Map(runbooks.map((rb) => [rb.name, rb]));
  const reporter = new SlackRunReporter(slack, updater, opts.log.child({ component: 'reporter' }), {
    approvers: (run) => access.approversOf(run),
    approvalAsked: approverDms({
      client: slack,
      prefs: dmPrefs,
      approverIds: (run) => access.approverIds(run),
      log: opts.log,
    }),
    runbooks: (name) => byName.get(name),
    cardClient,
  });
  const engine = new Engine({
    redis: opts.redisUrl,
    prefix: opts.prefix ?? ENGINE_DEFAULTS.prefix,
    runbooks,
    // Metrics see the same events as Slack, after it; the engine still has one reporter.
    reporter: new TeeReporter([reporter, new MetricsReporter(metrics)]),
    approvers: access,
    approvalTtlMs: opts.approvalTtlMs ?? opts.estate.approvalTtlMinutes * 60_000,
    maxApprovalAgeMs: opts.estate.maxApprovalAgeMinutes * 60_000,
    endedRunTtlMs: opts.estate.retention.endedRunDays * 24 * 3_600_000,
    ...(opts.retry ? { retry: opts.retry } : {}),
    ...(opts.queueRecheckMs ? { queueRecheckMs: opts.queueRecheckMs } : {}),
    ...auditSinkFromEnv(env, opts.estate.aws),
    log: opts.log.child({ component: 'engine' }),
  });
  // Plans read the runs in flight through the engine, which is built after the runbooks.
  const plans: PlanDeps = { ...runbookDeps, runs: { listRuns: (o) => engine.listRuns(o) }, queueLooks };
  metrics.watch(engine);
  return {
    access,
    runbooks,
    plans,
    clusters,
    engine,
    slack,
    updater,
    metrics,
    slackFetch,
    seenRequests,
    dmPrefs,
    ...(activedata ? { activedata } : {}),
    async close() {
      await engine.close();
      await updater.close();
      await clusters.close();
      activedata?.close();
      etlTargets.close();
      etlRedis.disconnect();
      metrics.close();
    },
  };
}
