import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SimCluster, startEsSimulator } from '../src/sim/es/index.js';
import { freePort } from '../src/sim/services/free-port.js';
import { destroyPrivateRedis, startPrivateRedis } from '../src/sim/services/private-redis.js';
import { waitFor } from '../src/sim/services/wait-for.js';
import { SIM_DEFAULTS, SlackDriver, startFakeSlack } from '../src/sim/slack/index.js';

export interface AckRow {
  command: string;
  commands: number;
  sentAs: string;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  non200: number;
}

const GB = 1024 ** 3;

/**
 * Ack latency of slash commands through the real HTTP receiver, as Slack sees it: the production
 * web process (src/main/web.ts) runs on its own, the cluster simulator and the Slack stand-in run
 * here, and `count` signed commands are sent at once. The slow part of each command (cluster
 * reads, the answer) happens after the ack and does not count.
 */
export async function measureAckLatency(count = 200, commandText = 'status', burst = true): Promise<AckRow> {
  const redis = await startPrivateRedis();
  const nodes = [1, 2, 3, 4, 5, 6].map((i) => ({
    name: `node-${i}`,
    ip: `172.31.0.${10 + i}`,
    zone: 'primary',
    diskTotalBytes: 500 * GB,
  }));
  const es = await startEsSimulator({
    cluster: new SimCluster({ nodes, indices: [{ name: 'i', shards: 50, replicas: 1, bytesPerShard: GB }] }),
    tickMs: 0,
  });
  const slack = await startFakeSlack();
  const dir = mkdtempSync(join(tmpdir(), 'opsbot-bench-'));
  writeFileSync(join(dir, 'opsbot.yaml'), `defaultCluster: local\nclusters:\n  local:\n    url: ${es.url}\n`);
  const port = await freePort();
  const signingSecret = 'bench-signing-secret-0123456789';
  const web = spawn(
    process.execPath,
    [
      ...(process.env.BENCH_CPU_PROF ? ['--cpu-prof', '--cpu-prof-dir', process.env.BENCH_CPU_PROF] : []),
      '--import',
      'tsx',
      'src/main/web.ts',
    ],
    {
      env: {
        ...process.env,
        SLACK_BOT_TOKEN: SIM_DEFAULTS.botToken,
        SLACK_SIGNING_SECRET: signingSecret,
        SLACK_API_URL: slack.apiUrl,
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
      responseUrlBase: slack.baseUrl,
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
    await slack.close();
    await es.close();
    await destroyPrivateRedis(redis);
  }
}

const round = (n: number) => Math.round(n * 10) / 10;
