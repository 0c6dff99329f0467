import { fork, spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../src/sim/services/free-port.js';
import { destroyPrivateRedis, startPrivateRedis } from '../src/sim/services/private-redis.js';
import { waitFor } from '../src/sim/services/wait-for.js';
import { SIM_DEFAULTS, SlackDriver } from '../src/sim/slack/index.js';

export interface AckRow {
  app: string;
  command: string;
  commands: number;
  sentAs: string;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  non200: number;
}

interface EstateUrls {
  esUrl: string;
  slackApiUrl: string;
  slackBaseUrl: string;
}

/** What answers the commands: opsbot's production web process, or a bare Bolt app (bench/bare-bolt.ts). */
export type AckApp = 'opsbot' | 'bare-bolt';
const ENTRY: Record<AckApp, string> = { opsbot: 'src/main/web.ts', 'bare-bolt': 'bench/bare-bolt.ts' };

/**
 * Ack latency of slash commands through the real HTTP receiver, as Slack sees it: the production
 * web process (src/main/web.ts) runs on its own, the cluster simulator and the Slack stand-in in
 * another (bench/ack-estate.ts: their work never delays this driver's clock), and `count` signed
 * commands are sent at once. The slow part of each command (cluster reads, the answer) happens
 * after the ack and does not count. `app: 'bare-bolt'` sends the same
 * to a Bolt app that only acks and posts one ephemeral reply, run the same way (same loader).
 */
export async function measureAckLatency(
  count = 200,
  commandText = 'status',
  burst = true,
  app: AckApp = 'opsbot',
): Promise<AckRow> {
  const redis = await startPrivateRedis();
  const estate = fork('bench/ack-estate.ts', [], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const urls = await new Promise<EstateUrls>((resolve, reject) => {
    estate.once('message', (m) => resolve(m as EstateUrls));
    estate.once('exit', (code) => reject(new Error(`the bench estate exited (${code})`)));
  });
  const dir = mkdtempSync(join(tmpdir(), 'opsbot-bench-'));
  writeFileSync(join(dir, 'opsbot.yaml'), `defaultCluster: local\nclusters:\n  local:\n    url: ${urls.esUrl}\n`);
  const port = await freePort();
  const signingSecret = 'bench-signing-secret-0123456789';
  const web = spawn(
    process.execPath,
    [
      ...(process.env.BENCH_CPU_PROF ? ['--cpu-prof', '--cpu-prof-dir', process.env.BENCH_CPU_PROF] : []),
      '--import',
      'tsx',
      ENTRY[app],
    ],
    {
      env: {
        ...process.env,
        SLACK_BOT_TOKEN: SIM_DEFAULTS.botToken,
        SLACK_SIGNING_SECRET: signingSecret,
        SLACK_API_URL: urls.slackApiUrl,
        SLACK_APP_TOKEN: '',
        REDIS_URL: redis.url,
        // The bench's throwaway Redis has AOF off: start anyway (the start-up check would refuse it).
        OPSBOT_REDIS_UNSAFE_OK: '1',
        OPSBOT_CONFIG: join(dir, 'opsbot.yaml'),
        PORT: String(port),
        HOST: '127.0.0.1',
        LOG_LEVEL: 'error',
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  try {
    const driver = new SlackDriver({
      eventsUrl: `http://127.0.0.1:${port}/slack/events`,
      signingSecret,
      responseUrlBase: urls.slackBaseUrl,
    });
    const who = (u: string) => ({ user_id: u, channel_id: 'C0BENCH' });
    await waitFor(
      async () => (await driver.command('/es', 'help', who('U0WARM')).catch(() => ({ status: 0 }))).status === 200,
      'the web process',
      30_000,
    );
    await Promise.all(Array.from({ length: 20 }, () => driver.command('/es', commandText, who('U0WARM'))));
    const times: number[] = [];
    let non200 = 0;
    const one = async (i: number) => {
      const t0 = performance.now();
      const r = await driver.command('/es', commandText, who(`U0B${i}`));
      times.push(performance.now() - t0);
      if (r.status !== 200) non200++;
    };
    if (burst) await Promise.all(Array.from({ length: count }, (_, i) => one(i)));
    else for (let i = 0; i < count; i++) await one(i);
    times.sort((a, b) => a - b);
    const pct = (p: number) => round(times[Math.min(times.length - 1, Math.floor(times.length * p))]!);
    return {
      app,
      command: `/es ${commandText}`,
      commands: count,
      sentAs: burst ? 'all at once' : 'one after another',
      p50Ms: pct(0.5),
      p99Ms: pct(0.99),
      maxMs: round(times[times.length - 1]!),
      non200,
    };
  } finally {
    const gone = new Promise((r) => web.once('exit', r));
    web.kill('SIGTERM');
    await gone;
    const estateGone = new Promise((r) => estate.once('exit', r));
    estate.send('stop');
    await estateGone;
    await destroyPrivateRedis(redis);
  }
}

const round = (n: number) => Math.round(n * 10) / 10;
