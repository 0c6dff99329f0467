import { requireSlackCredentials } from '../config/env.js';
import { ConfigError } from '../config/config-error.js';
import { loadSettingsOrExit, requireRedisUrl } from './load-settings.js';
import { buildBot } from './wire.js';

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
  const bot = buildBot({ estate, policy, redisUrl: requireRedisUrl(env), prefix: env.OPSBOT_PREFIX, botToken, slackApiUrl: env.SLACK_API_URL, log });
  await bot.engine.startWorker({ concurrency: Number(process.env.OPSBOT_WORKER_CONCURRENCY ?? 10) });
  log.info('worker started');
  // SIGTERM: the step in flight finishes and is checkpointed, then the process exits.
  const stop = async () => {
    log.info('worker stopping after the current step');
    await bot.close();
    process.exit(0);
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((err) => {
  process.stderr.write(`opsbot worker failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
