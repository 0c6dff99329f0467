import { requireSlackCredentials } from '../config/env.js';
import { ConfigError } from '../config/config-error.js';
import { createSlackApp } from '../slack/create-app.js';
import { loadSettingsOrExit, requireRedisUrl } from './load-settings.js';
import { buildBot } from './wire.js';

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
  const bot = buildBot({ estate, policy, redisUrl: requireRedisUrl(env), prefix: env.OPSBOT_PREFIX, botToken: slack.botToken, slackApiUrl: env.SLACK_API_URL, log });
  // The workspace the token belongs to: requests signed for any other team are refused.
  const auth = await bot.slack.auth.test();
  const app = createSlackApp({ ...slack, slackApiUrl: env.SLACK_API_URL }, {
    clusters: bot.clusters, estate, engine: bot.engine, log, access: bot.access, ...(auth.team_id ? { teamId: auth.team_id } : {}),
    ...(bot.activedata ? { activedata: bot.activedata } : {}),
    etl: bot.etl,
  });
  if (slack.appToken) {
    await app.start();
    log.info('listening to Slack over Socket Mode');
  } else {
    await app.start({ port: env.PORT, host: env.HOST });
    log.info({ port: env.PORT }, 'listening for Slack on /slack/events');
  }
  const stop = async () => {
    log.info('shutting down');
    await app.stop();
    await bot.close();
    process.exit(0);
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((err) => {
  process.stderr.write(`opsbot web failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
