import { randomBytes } from 'node:crypto';
import type { App } from '@slack/bolt';
import { parseEstate } from '../config/load-estate.js';
import type { Estate, EstateInput } from '../config/estate.js';
import type { Policy } from '../config/policy.js';
import { silentLogger, type Logger } from '../log.js';
import { generateCluster, startEsSimulator, type EsSimulator, type SimCluster } from '../sim/es/index.js';
import { freePort } from '../sim/services/free-port.js';
import { SIM_DEFAULTS, SlackDriver, startFakeSlack, type FakeSlack } from '../sim/slack/index.js';
import { SocketModeServer } from '../sim/slack/socket-mode-server.js';
import { SocketModeDriver } from '../sim/slack/socket-mode-driver.js';
import { startOpsServer } from '../observability/ops-server.js';
import { createSlackApp } from '../slack/create-app.js';
import type { RetryPolicy } from '../engine/index.js';
import type { DrainTiming } from '../runbooks/es-drain/wait-for-empty.js';
import type { ServiceTiming } from '../runbooks/activedata-deploy/index.js';
import type { CardUpdaterOptions } from '../slack/card-updater.js';
import { createOpsEndpoints, type OpsEndpoints } from '../observability/index.js';
import { buildBot, type Bot } from './wire.js';
import { unsupportedCluster } from './cluster-versions.js';
import type { RedisTarget } from './redis-connection.js';
import { startLocalEtl, type LocalEtl, type LocalEtlOptions } from './local-etl.js';

export interface LocalStackOptions {
  /** The simulated cluster; default: a seeded 12-node ActiveData-like cluster. */
  cluster?: SimCluster;
  /** The URL the bot uses for the cluster, when something sits in front of the simulator (a test proxy). */
  esUrl?: (simulatorUrl: string) => Promise<string>;
  /** Simulated milliseconds per real millisecond (a "2 TB" drain in a minute needs about 1000). */
  speed?: number;
  /** Auto-tick period of the simulator; 0 = tests advance time themselves. */
  tickMs?: number;
  /** Estate settings merged over the local default; `clusters` are added beside `local`. */
  estate?: Partial<EstateInput>;
  log?: Logger;
  /** Redis of the engine (a private one in tests and local mode): a URL, or Sentinel options. */
  redisUrl: RedisTarget;
  /** Key prefix: tests give each stack its own so they can share one Redis. */
  prefix?: string;
  /** false: no worker in this process (tests that run the worker as a separate process). */
  worker?: boolean;
  drainTiming?: DrainTiming;
  cardUpdates?: CardUpdaterOptions;
  approvalTtlMs?: number;
  retry?: RetryPolicy;
  /** How often a queued run looks whether its lock is free. */
  queueRecheckMs?: number;
  /** How often a restarted ActiveData service is looked at (tests shorten it). */
  serviceTiming?: ServiceTiming;
  /**
   * More settings of the `local` cluster (SSH, command templates, timeouts), given the URL the bot
   * uses for it, so that templates can drive the simulator's node control through the same URL.
   */
  localCluster?: (clusterUrl: string) => Record<string, unknown>;
  /** Who may run what (the policy file's content); default: the built-in defaults. */
  policy?: Policy;
  /** Environment the bot reads credentials from (SSH_PRIVATE_KEY_PATH...); default process.env. */
  env?: NodeJS.ProcessEnv;
  /** The signing secret the driver signs with; default a random one. */
  signingSecret?: string;
  /** Token of the queue dashboard at /admin/queues; none: the dashboard is off. */
  dashboard?: { token?: string; readOnly?: boolean };
  /**
   * Start the ETL's stand-ins (EC2, SQS/S3, SpotManager's host when an sshd can be had) and point
   * the estate's aws/etl/spotManager sections at them (local mode); tests bring their own instead.
   */
  etlStandIns?: Omit<LocalEtlOptions, 'log'>;
  /**
   * Socket Mode instead of the HTTP receiver: the bot connects (app-level token) to the Socket Mode
   * stand-in the Slack stand-in's apps.connections.open hands out, and the driver sends envelopes
   * over it; the ops endpoints get a listener of their own.
   */
  socketMode?: boolean;
}

async function localCluster(simUrl: string, opts: LocalStackOptions): Promise<Record<string, unknown>> {
  const url = opts.esUrl ? await opts.esUrl(simUrl) : simUrl;
  return { url, ...opts.localCluster?.(url) };
}

export interface LocalStack {
  es: EsSimulator;
  slack: FakeSlack;
  app: App;
  /** The bot's receiver: where signed requests go (in Socket Mode, the stand-in's WebSocket). */
  eventsUrl: string;
  /** Signed HTTP posts, or envelopes over the socket in Socket Mode (same methods). */
  driver: SlackDriver;
  /** The Socket Mode stand-in, in Socket Mode: its deliveries and their acks. */
  socket?: SocketModeServer;
  estate: Estate;
  bot: Bot;
  /** The receiver's base URL, where /healthz, /readyz, /livez, /metrics and /admin/queues answer. */
  opsUrl: string;
  /** The ETL's stand-ins, when `etlStandIns` was asked for. */
  etl?: LocalEtl;
  ops: OpsEndpoints;
  close(): Promise<void>;
}

/** The default local cluster: 12 nodes over the three zones, a few TB, tens of thousands of shards. */
export function defaultLocalCluster(): SimCluster {
  return generateCluster({
    seed: 2016,
    nodes: 12,
    shards: 24_000,
    totalBytes: 6 * 1024 ** 4,
    zones: { primary: 0.34, secondary: 0.33, spot: 0.33 },
  });
}

/**
 * Everything the bot talks to, on loopback, plus the bot itself behind its real HTTP receiver (or
 * Socket Mode receiver, `socketMode`): the Elasticsearch simulator, the Slack Web API stand-in, and
 * a driver that signs requests as Slack does (or sends them as envelopes over the socket). Local
 * mode and the end-to-end tests both run on this.
 */
export async function startLocalStack(opts: LocalStackOptions): Promise<LocalStack> {
  const log = opts.log ?? silentLogger;
  const es = await startEsSimulator({
    cluster: opts.cluster ?? defaultLocalCluster(),
    speed: opts.speed ?? 1,
    tickMs: opts.tickMs ?? 100,
  });
  const slack = await startFakeSlack();
  const socket = opts.socketMode ? await SocketModeServer.start() : undefined;
  if (socket) slack.enableSocketMode(socket);
  const etl = opts.etlStandIns ? await startLocalEtl({ log, ...opts.etlStandIns }) : undefined;
  const estate = parseEstate(
    {
      defaultCluster: 'local',
      ...etl?.estate,
      ...opts.estate,
      clusters: { local: await localCluster(es.url, opts), ...opts.estate?.clusters },
    },
    'local estate',
  );
  const bot = buildBot({
    estate,
    redisUrl: opts.redisUrl,
    prefix: opts.prefix,
    botToken: SIM_DEFAULTS.botToken,
    slackApiUrl: slack.apiUrl,
    log,
    ...(opts.policy ? { policy: opts.policy } : {}),
    drainTiming: opts.drainTiming,
    cardUpdates: opts.cardUpdates,
    approvalTtlMs: opts.approvalTtlMs,
    retry: opts.retry,
    ...(opts.queueRecheckMs ? { queueRecheckMs: opts.queueRecheckMs } : {}),
    ...(opts.serviceTiming ? { serviceTiming: opts.serviceTiming } : {}),
    ...(opts.env || etl ? { env: { ...(opts.env ?? process.env), ...etl?.env } } : {}),
    ...(etl?.managerUnavailable ? { etlManagerUnavailable: etl.managerUnavailable } : {}),
  });
  // As the web and worker processes do: a cluster of an unsupported release is refused at start-up.
  const unsupported = await unsupportedCluster(bot.clusters, log);
  if (unsupported) {
    await Promise.all([bot.close(), slack.close(), socket?.close(), es.close(), etl?.close()]);
    throw unsupported;
  }
  if (opts.worker !== false) await bot.engine.startWorker();
  const signingSecret = opts.signingSecret ?? randomBytes(16).toString('hex');
  const ops = createOpsEndpoints({
    metrics: bot.metrics,
    redisUrl: opts.redisUrl,
    log,
    slackCacheMs: 0,
    slack: { botToken: SIM_DEFAULTS.botToken, slackApiUrl: slack.apiUrl, fetch: bot.slackFetch },
    dashboard: { queue: bot.engine.queue, ...opts.dashboard },
  });
  const app = createSlackApp(
    {
      botToken: SIM_DEFAULTS.botToken,
      signingSecret,
      slackApiUrl: slack.apiUrl,
      botUserId: SIM_DEFAULTS.botUserId,
      ...(socket ? { appToken: socket.appToken } : { customRoutes: ops.routes }),
      slackFetch: bot.slackFetch,
    },
    {
      engine: bot.engine,
      plans: bot.plans,
      runbooks: bot.runbooks,
      log,
      access: bot.access,
      seenRequests: bot.seenRequests,
      dmPrefs: bot.dmPrefs,
      teamId: SIM_DEFAULTS.teamId,
    },
  );
  let opsUrl: string;
  let eventsUrl: string;
  let driver: SlackDriver;
  let opsServer: { close(): Promise<void> } | undefined;
  if (socket) {
    // Resolves once the stand-in said hello over the socket.
    await app.start();
    const server = await startOpsServer(ops.routes, { port: 0, host: '127.0.0.1' });
    opsServer = server;
    opsUrl = server.url;
    eventsUrl = socket.baseUrl;
    driver = new SocketModeDriver({ socket, responseUrlBase: slack.baseUrl });
  } else {
    const port = await freePort();
    await app.start({ port, host: '127.0.0.1' });
    opsUrl = `http://127.0.0.1:${port}`;
    eventsUrl = `${opsUrl}/slack/events`;
    driver = new SlackDriver({ eventsUrl, signingSecret, responseUrlBase: slack.baseUrl });
  }
  ops.health.markStarted();
  return {
    es,
    slack,
    app,
    eventsUrl,
    driver,
    ...(socket ? { socket } : {}),
    estate,
    bot,
    opsUrl,
    ops,
    ...(etl ? { etl } : {}),
    async close() {
      ops.health.markStopping();
      await app.stop();
      await opsServer?.close();
      await ops.close();
      await bot.close();
      await slack.close();
      await socket?.close();
      await es.close();
      await etl?.close();
    },
  };
}
