import { loadEnv } from '../config/env.js';
import { createLogger } from '../log.js';
import { OperatorError, isOperatorProblem } from '../problem.js';
import { Redis } from 'ioredis';
import { ConsolePortInUseError, ConsoleServer } from '../sim/console/index.js';
import { destroyPrivateRedis, startPrivateRedis, type PrivateRedis } from '../sim/services/private-redis.js';
import { LOCAL_CHANNEL, LOCAL_USERS, runTerminalClient } from '../sim/terminal-client.js';
import { LOCAL_DEFAULTS } from './defaults.js';
import { startLocalStack, type LocalStack } from './local-stack.js';

const APPROVERS = [LOCAL_USERS.bob!, LOCAL_USERS.carol!];
const OPTIONS = ['--terminal', '--socket'];

/**
 * Local mode: the whole bot on this machine with no Slack tokens and no cloud. A private Redis
 * (unless REDIS_URL is set), the cluster simulator, the Slack stand-in, the bot behind its real
 * receiver, and a Slack client: the browser console (default), or this terminal with --terminal.
 * With --socket the bot listens over Socket Mode instead (the stand-in's WebSocket), and the
 * client's commands and clicks go through the socket as envelopes.
 */
async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const terminal = args.includes('--terminal');
  const socketMode = args.includes('--socket');
  const unknown = args.filter((a) => !OPTIONS.includes(a));
  if (unknown.length) {
    const next = 'Run it with --terminal, --socket, both or neither.';
    throw new OperatorError(
      `unknown option ${unknown.join(' ')}: local mode takes --terminal (chat in this terminal) and ` +
        `--socket (the bot over Socket Mode). ${next}`,
      next,
    );
  }
  const env = loadEnv();
  // Logs go to a file-like stream only when asked: the terminal is the chat window here.
  const log = createLogger(
    { level: env.LOG_LEVEL ?? 'silent', name: 'opsbot-local', pretty: env.LOG_FORMAT !== 'json' },
    process.stderr,
  );
  // The console claims its port first: a taken port fails at once, before Redis and the rest start.
  const consoleServer = terminal
    ? undefined
    : await ConsoleServer.listen({ port: env.OPSBOT_CONSOLE_PORT ?? LOCAL_DEFAULTS.consolePort });
  let redis: PrivateRedis | undefined;
  let stack: LocalStack | undefined;
  // Every start gets its own key prefix: the simulated estate is new each time, so runs left in a
  // shared Redis by an earlier (or a concurrent) local mode must not be resumed against it.
  const prefix = `${env.OPSBOT_PREFIX}-local-${Date.now().toString(36)}${process.pid.toString(36)}`;
  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      await consoleServer?.close();
      await stack?.close();
      if (redis) await destroyPrivateRedis(redis);
      else if (env.REDIS_URL) await forgetKeys(env.REDIS_URL, prefix);
    })());
  try {
    const redisUrl = env.REDIS_URL ?? (redis = await startPrivateRedis()).url;
    stack = await startLocalStack({
      redisUrl,
      prefix,
      log,
      speed: env.OPSBOT_SIM_SPEED ?? LOCAL_DEFAULTS.simSpeed,
      estate: { approvers: { users: APPROVERS } },
      dashboard: { token: env.OPSBOT_DASHBOARD_TOKEN, readOnly: env.OPSBOT_DASHBOARD_READONLY },
      // The ETL's AWS and SpotManager stand-ins: /etl never reaches the cloud from here.
      etlStandIns: { cronTickMs: env.OPSBOT_LOCAL_CRON_MS ?? LOCAL_DEFAULTS.cronTickMs },
      socketMode,
    });
    const etl = stack.etl;
    const tryEtl = etl?.tryDeploy ? `; try /etl status, then /etl deploy ${etl.tryDeploy}` : '';
    const dashboard = env.OPSBOT_DASHBOARD_TOKEN ? `, ${stack.opsUrl}/admin/queues (OPSBOT_DASHBOARD_TOKEN)` : '';
    const parts =
      `cluster simulator ${stack.es.url}, Slack stand-in ${stack.slack.baseUrl}, ` +
      `bot ${socketMode ? `over Socket Mode (${stack.eventsUrl})` : stack.eventsUrl}, ` +
      `redis ${redisUrl}` +
      `\n  ETL stand-ins: ${etl?.describe ?? 'none'}${tryEtl}` +
      `\n  ops: ${stack.opsUrl}/healthz, ${stack.opsUrl}/metrics${dashboard}`;
    if (!consoleServer) {
      process.stdout.write(`opsbot local mode: ${parts}\n`);
      process.once('SIGINT', () => {
        void stop().then(() => process.exit(130));
      });
      await runTerminalClient({
        slack: stack.slack,
        driver: stack.driver,
        input: process.stdin,
        output: process.stdout,
        setSpeed: (f) => stack!.es.setSpeed(f),
      });
      return;
    }
    consoleServer.attach({
      slack: stack.slack,
      driver: stack.driver,
      simulatorUrl: stack.es.url,
      channel: { id: LOCAL_CHANNEL, name: 'ops' },
      users: Object.entries(LOCAL_USERS).map(([name, id]) => ({
        name,
        id,
        role: APPROVERS.includes(id) ? 'approves' : 'requests',
      })),
    });
    process.stdout.write(
      `opsbot local mode: open ${consoleServer.url} (a Slack channel: alice requests, bob and carol approve)\n` +
        `  ${parts}\n` +
        '  Ctrl-C stops it; npm run local -- --terminal for the terminal client, --socket for Socket Mode\n',
    );
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
  } finally {
    await stop();
  }
}

/** Deletes this run's keys from a Redis that outlives local mode (the private one is simply removed). */
async function forgetKeys(url: string, prefix: string): Promise<void> {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500);
      if (keys.length) await redis.unlink(...keys);
      cursor = next;
    } while (cursor !== '0');
  } catch {
    // Best effort: leftover keys under a prefix nobody uses again harm nothing.
  } finally {
    redis.disconnect();
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    // The operator's problems (a ConfigError among them) are one line they can act on; anything else, its stack.
    const oneLine = isOperatorProblem(err) || err instanceof ConsolePortInUseError;
    process.stderr.write(
      `opsbot local mode failed: ${oneLine ? err.message : err instanceof Error ? err.stack : String(err)}\n`,
    );
    process.exit(1);
  },
);
