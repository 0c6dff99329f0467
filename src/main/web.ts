import { requireSlackCredentials } from '../config/env.js';
import { ConfigError } from '../config/config-error.js';
import { createSlackApp } from '../slack/create-app.js';
import { loadSettingsOrExit } from './load-settings.js';
import { requireSafeRedis } from './redis-startup.js';
import { BotMetrics, createOpsEndpoints, startOpsServer } from '../observability/index.js';
import { buildBot } from './wire.js';
import { unsupportedCluster, unsupportedLine } from './cluster-versions.js';
import { listenOpsOrExit } from './ops-listener.js';

/** The web process: Slack's requests in (HTTP or Socket Mode), answers and run requests out. */
async function main(): Promise<void> {
  const { env, estate, policy, log } = loadSettingsOrExit('opsbot-web');
  let slack;
  try {
    slack = requireSlackCredentials(env);
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
    botToken: slack.botToken,
    slackApiUrl: env.SLACK_API_URL,
    log,
    metrics: new BotMetrics({ labels: { process: 'web' } }),
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
    slack: {
      botToken: slack.botToken,
      ...(env.SLACK_API_URL ? { slackApiUrl: env.SLACK_API_URL } : {}),
      fetch: bot.slackFetch,
    },
    dashboard: { queue: bot.engine.queue, token: env.OPSBOT_DASHBOARD_TOKEN, readOnly: env.OPSBOT_DASHBOARD_READONLY },
  });
  // Ops endpoints on a port of their own when asked (a private interface, away from Slack's public
  // URL), or in Socket Mode where no receiver listens; otherwise beside /slack/events.
  const opsPort = env.OPSBOT_HTTP_PORT ?? (slack.appToken ? env.PORT : undefined);
  // The workspace the token belongs to: requests signed for any other team are refused.
  const auth = await bot.slack.auth.test();
  const app = createSlackApp(
    {
      ...slack,
      slackApiUrl: env.SLACK_API_URL,
      slackFetch: bot.slackFetch,
      ...(opsPort === undefined ? { customRoutes: ops.routes } : {}),
    },
    {
      engine: bot.engine,
      plans: bot.plans,
      runbooks: bot.runbooks,
      log,
      access: bot.access,
      seenRequests: bot.seenRequests,
      dmPrefs: bot.dmPrefs,
      ...(auth.team_id ? { teamId: auth.team_id } : {}),
    },
  );
  if (slack.appToken) {
    await app.start();
    log.info('listening to Slack over Socket Mode');
  } else {
    await app.start({ port: env.PORT, host: env.HOST });
    log.info({ port: env.PORT }, 'listening for Slack on /slack/events');
  }
  const opsServer =
    opsPort === undefined
      ? undefined
      : await listenOpsOrExit(
          () => startOpsServer(ops.routes, { port: opsPort, host: env.OPSBOT_HTTP_HOST ?? env.HOST }),
          opsPort,
        );
  ops.health.markStarted();
  log.info(
    { at: opsServer?.url ?? `port ${env.PORT}`, dashboard: Boolean(env.OPSBOT_DASHBOARD_TOKEN) },
    'ops endpoints: /healthz /readyz /livez /metrics',
  );
  const stop = async () => {
    log.info('shutting down');
    ops.health.markStopping();
    await app.stop();
    await opsServer?.close();
    await ops.close();
    await bot.close();
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop());
  process.once('SIGINT', () => void stop());
}

main().catch((err) => {
  process.stderr.write(`opsbot web failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
