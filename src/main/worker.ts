import { requireSlackCredentials } from '../config/env.js';
import { ConfigError } from '../config/config-error.js';
import { loadSettingsOrExit } from './load-settings.js';
import { requireSafeRedis } from './redis-startup.js';
import { BotMetrics, createOpsEndpoints, startOpsServer } from '../observability/index.js';
import { buildBot } from './wire.js';
import { unsupportedCluster, unsupportedLine } from './cluster-versions.js';
import { WORKER_DEFAULTS } from './defaults.js';
import { listenOpsOrExit } from './ops-listener.js';

/** The worker process: runs the procedures (BullMQ jobs) and reports their progress to Slack. */
async function main(): Promise<void> {
  const { env, estate, policy, log } = loadSettingsOrExit('opsbot-worker');
  let botToken: string;
  try {
    botToken = requireSlackCredentials(env).botToken;
  } catch (err) {
    process.stderr.write(`opsbot: ${(err as ConfigError).message}\n`);
    process.exit(78);
  }
  // Before anything uses it: a Redis that can lose runs stops the process here (exit 78).
  const redisUrl = await requireSafeRedis(env, log);
  const bot = buildBot({
    estate,
    policy,
    redisUrl,
    prefix: env.OPSBOT_PREFIX,
    botToken,
    slackApiUrl: env.SLACK_API_URL,
    log,
    metrics: new BotMetrics({ labels: { process: 'worker' } }),
  });
  // A cluster of an unsupported release (7.x or older) stops the process here, in one line.
  const unsupported = await unsupportedCluster(bot.clusters, log);
  if (unsupported) {
    process.stderr.write(unsupportedLine(unsupported));
    await bot.close();
    process.exit(78);
  }
  const ops = createOpsEndpoints({
    metrics: bot.metrics,
    redisUrl,
    log: log.child({ component: 'ops' }),
    slack: { botToken, ...(env.SLACK_API_URL ? { slackApiUrl: env.SLACK_API_URL } : {}), fetch: bot.slackFetch },
  });
  // Listening before the worker starts: liveness answers at once, readiness once it consumes.
  const opsPort = env.OPSBOT_HTTP_PORT ?? WORKER_DEFAULTS.opsPort;
  const opsServer = await listenOpsOrExit(
    () => startOpsServer(ops.routes, { port: opsPort, host: env.OPSBOT_HTTP_HOST ?? env.HOST }),
    opsPort,
  );
  await bot.engine.startWorker({ concurrency: env.OPSBOT_WORKER_CONCURRENCY ?? WORKER_DEFAULTS.concurrency });
  ops.health.markStarted();
  log.info({ ops: opsServer.url }, 'worker started; ops endpoints: /healthz /readyz /livez /metrics');
  // SIGTERM: the step in flight finishes and is checkpointed, then the process exits.
  const stop = async () => {
    log.info('worker stopping after the current step');
    ops.health.markStopping();
    await bot.close();
    await opsServer.close();
    await ops.close();
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop());
  process.once('SIGINT', () => void stop());
}

main().catch((err) => {
  process.stderr.write(`opsbot worker failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
