import { loadEnv } from '../config/env.js';
import { ConfigError } from '../config/config-error.js';
import { createLogger } from '../log.js';
import { destroyPrivateRedis, startPrivateRedis, type PrivateRedis } from '../sim/services/private-redis.js';
import { LOCAL_USERS, runTerminalClient } from '../sim/terminal-client.js';
import { startLocalStack } from './local-stack.js';

/**
 * Local mode: the whole bot on this machine with no Slack tokens and no cloud. A private Redis
 * (unless REDIS_URL is set), the cluster simulator, the Slack stand-in, the bot behind its real
 * receiver, and this terminal as the Slack client.
 */
async function main(): Promise<void> {
  const env = loadEnv();
  // Logs go to a file-like stream only when asked: the terminal is the chat window here.
  const log = createLogger({ level: process.env.LOG_LEVEL ?? 'silent', name: 'opsbot-local' }, process.stderr);
  let redis: PrivateRedis | undefined;
  const redisUrl = env.REDIS_URL ?? (redis = await startPrivateRedis()).url;
  const stack = await startLocalStack({
    redisUrl,
    speed: Number(process.env.OPSBOT_SIM_SPEED ?? 60),
    log,
    estate: { approvers: { users: [LOCAL_USERS.bob!, LOCAL_USERS.carol!] } },
  });
  process.stdout.write(`opsbot local mode: cluster simulator ${stack.es.url}, Slack stand-in ${stack.slack.baseUrl}, bot ${stack.eventsUrl}, redis ${redisUrl}\n`);
  const stop = async () => {
    await stack.close();
    if (redis) await destroyPrivateRedis(redis);
  };
  process.once('SIGINT', () => { void stop().then(() => process.exit(130)); });
  await runTerminalClient({ slack: stack.slack, driver: stack.driver, input: process.stdin, output: process.stdout, setSpeed: (f) => stack.es.setSpeed(f) });
  await stop();
}

main().then(() => process.exit(0), (err) => {
  process.stderr.write(`opsbot local mode failed: ${err instanceof ConfigError ? err.message : err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
