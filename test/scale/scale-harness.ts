import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SimCluster, startEsSimulator, type EsSimulator } from '../../src/sim/es/index.js';
import { freePort } from '../../src/sim/services/free-port.js';
import { destroyPrivateRedis, startPrivateRedis, type PrivateRedis } from '../../src/sim/services/private-redis.js';
import { ChannelView, SIM_DEFAULTS, SlackDriver, startFakeSlack, type FakeSlack } from '../../src/sim/slack/index.js';
import type { StoredMessage } from '../../src/sim/slack/types.js';
import { startRecordingProxy, type RecordingProxy } from '../support/recording-proxy.js';

const GB = 1024 ** 3;
export const CHANNEL = 'C0SCALE';
const alice = { user_id: 'U0ALICE', user_name: 'alice', channel_id: CHANNEL };
const bob = { user_id: 'U0BOB', user_name: 'bob', channel_id: CHANNEL };
const SIGNING_SECRET = 'scale-signing-secret-0123456789';

export interface ScaleOptions {
  webs: number;
  workers: number;
  clusters: number;
  /** Runs per cluster, one after another on each cluster: drain node-3, undrain node-3, drain node-4... */
  runsPerCluster: number;
  /** Random SIGKILLs of any process (each restarted), spread over the campaign. */
  kills: number;
  /** Restart Redis (AOF on) once, mid-campaign. */
  redisRestart: boolean;
  seed: number;
  /** Ceiling for the whole campaign. */
  timeoutMs: number;
}

export interface ScaleResult {
  runs: { cluster: string; command: string; cardTs: string; finalText: string; ms: number }[];
  kills: string[];
  /** PUT _cluster/settings per cluster, as the cluster received them. */
  settingsWrites: Record<string, number>;
  rateLimited: number;
  chatUpdates: number;
  wallMs: number;
}

/** A seeded PRNG (mulberry32): the same seed gives the same kill schedule. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** SCALE_DEBUG=1: the campaign's steps on stderr as they happen. */
const debug = (msg: string) => {
  if (process.env.SCALE_DEBUG) process.stderr.write(`[scale ${new Date().toISOString().slice(11, 23)}] ${msg}\n`);
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function fourNodes(seed: number): SimCluster {
  return new SimCluster({
    nodes: [1, 2, 3, 4].map((i) => ({
      name: `node-${i}`,
      ip: `172.31.${seed}.${10 + i}`,
      zone: i % 2 ? 'primary' : 'secondary',
      diskTotalBytes: 200 * GB,
    })),
    indices: [{ name: `unittest${seed}`, shards: 4, replicas: 1, bytesPerShard: GB }],
    seed,
  });
}

/**
 * Whatever the campaign started dies with this process, even when the test runner ends it on a
 * timeout before the campaign's own cleanup ran: bot processes and Redis (by its pid file).
 */
const leftovers = new Set<() => void>();
process.once('exit', () => {
  for (const kill of leftovers) kill();
});
function killRedisOnExit(redis: PrivateRedis): () => void {
  const kill = () => {
    try {
      process.kill(Number(readFileSync(join(redis.dir, 'redis.pid'), 'utf8').trim()), 'SIGKILL');
    } catch {
      /* already gone */
    }
  };
  leftovers.add(kill);
  return kill;
}

/** What Redis holds for the run a card names (run id at the card's end): its record and its job. */
async function storedState(url: string, prefix: string, card: string): Promise<string> {
  const id = /run `(r-[0-9a-f]+)`/.exec(card)?.[1];
  if (!id) return 'no run id on the card';
  const { Redis } = await import('ioredis');
  const r = new Redis(url, { maxRetriesPerRequest: 1 });
  try {
    const doc = await r.hget(`${prefix}:run:${id}`, 'doc');
    const run = doc
      ? (JSON.parse(doc) as {
          status: string;
          cursor?: string;
          steps: { id: string; status: string; attempts: number }[];
        })
      : undefined;
    const job = await r.hgetall(`${prefix}:bull:runs:${id}`);
    const where = await Promise.all(
      ['wait', 'active', 'delayed', 'completed', 'failed', 'prioritized'].map(async (set) => {
        const key = `${prefix}:bull:runs:${set}`;
        const type = await r.type(key);
        const has =
          type === 'zset'
            ? (await r.zscore(key, id)) !== null
            : type === 'list'
              ? (await r.lpos(key, id)) !== null
              : false;
        return has ? set : undefined;
      }),
    );
    const lease = await r.pttl(`${prefix}:run:${id}:lease`);
    return JSON.stringify({
      status: run?.status,
      cursor: run?.cursor,
      steps: run?.steps.map((s) => `${s.id}:${s.status}:${s.attempts}`),
      job: {
        in: where.filter(Boolean),
        attemptsMade: job.atm,
        stalled: job.stc,
        failed: job.failedReason,
        delay: job.delay,
      },
      leasePttl: lease,
    });
  } finally {
    r.disconnect();
  }
}

/** One bot process (web or worker), started again after a kill on the same port and settings. */
class BotProcess {
  child?: ChildProcess;
  constructor(
    readonly name: string,
    private readonly args: string[],
    private readonly env: NodeJS.ProcessEnv,
    private readonly ready: string,
  ) {}

  start(): Promise<void> {
    const child = spawn(process.execPath, ['--import', 'tsx', ...this.args], {
      env: { ...process.env, ...this.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    const killOnExit = () => child.kill('SIGKILL');
    leftovers.add(killOnExit);
    child.once('exit', () => leftovers.delete(killOnExit));
    return new Promise((resolve, reject) => {
      let out = '';
      const onData = (d: Buffer) => {
        out += d.toString();
        if (process.env.SCALE_DEBUG) appendFileSync(join(tmpdir(), `opsbot-scale-${this.name}.log`), d);
        if (out.includes(this.ready)) resolve();
      };
      child.stdout.on('data', onData);
      child.stderr.on('data', onData);
      child.once('exit', (code) => reject(new Error(`${this.name} exited (${code}) before ready: ${out.slice(-400)}`)));
    });
  }

  async kill(): Promise<void> {
    const c = this.child;
    if (!c || c.exitCode !== null || c.signalCode !== null) return;
    const gone = new Promise((r) => c.once('exit', r));
    c.kill('SIGKILL');
    await gone;
  }
}

/**
 * The estate at scale: `webs` production web processes (src/main/web.ts) and `workers` worker
 * processes (the production wiring, test timings) on one Redis (AOF on), `clusters` simulated
 * clusters behind recording proxies, and a Slack stand-in that enforces Slack's rate limits.
 * A campaign of drains and undrains runs on every cluster at once while processes are SIGKILLed
 * (and started again) at random and Redis is restarted; Slack's part (retrying a request the
 * bot did not answer, on another web process) is played by the driver.
 */
export async function runScaleCampaign(o: ScaleOptions): Promise<ScaleResult> {
  const t0 = performance.now();
  const random = rng(o.seed);
  const redis: PrivateRedis = await startPrivateRedis({ appendonly: true });
  const redisOnExit = killRedisOnExit(redis);
  const slack: FakeSlack = await startFakeSlack();
  slack.enforceRateLimits();
  const sims: EsSimulator[] = [];
  const proxies: RecordingProxy[] = [];
  const procs: BotProcess[] = [];
  const result: ScaleResult = { runs: [], kills: [], settingsWrites: {}, rateLimited: 0, chatUpdates: 0, wallMs: 0 };
  try {
    const clusters: Record<string, { url: string }> = {};
    for (let i = 1; i <= o.clusters; i++) {
      const sim = await startEsSimulator({ cluster: fourNodes(i), speed: 50, tickMs: 20 });
      sims.push(sim);
      const proxy = await startRecordingProxy(sim.url);
      proxies.push(proxy);
      clusters[`c${i}`] = { url: proxy.url };
    }
    const estate = { defaultCluster: 'c1', approvers: { users: [bob.user_id] }, clusters };
    const dir = mkdtempSync(join(tmpdir(), 'opsbot-scale-'));
    const configPath = join(dir, 'opsbot.yaml');
    writeFileSync(configPath, JSON.stringify(estate)); // JSON is YAML
    const prefix = `scale${o.seed}`;
    const common = {
      SLACK_BOT_TOKEN: SIM_DEFAULTS.botToken,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: slack.apiUrl,
      SLACK_APP_TOKEN: '',
      REDIS_URL: redis.url,
      OPSBOT_PREFIX: prefix,
      OPSBOT_CONFIG: configPath,
      LOG_LEVEL: 'info',
      HOST: '127.0.0.1',
    };
    const webUrls: string[] = [];
    for (let i = 0; i < o.webs; i++) {
      const port = await freePort();
      webUrls.push(`http://127.0.0.1:${port}/slack/events`);
      procs.push(
        new BotProcess(`web-${i + 1}`, ['src/main/web.ts'], { ...common, PORT: String(port) }, 'listening for Slack'),
      );
    }
    const workerConfig = {
      redisUrl: redis.url,
      prefix,
      botToken: SIM_DEFAULTS.botToken,
      slackApiUrl: slack.apiUrl,
      estate,
      drainTiming: { pollMs: 300, stallAfterMs: 60_000 },
      // Production's card throttle: the shared Slack budget is what this campaign checks.
      cardUpdates: { perMessageMs: 3_000, globalGapMs: 1_500 },
    };
    for (let i = 0; i < o.workers; i++) {
      procs.push(
        new BotProcess(
          `worker-${i + 1}`,
          ['test/fixtures/worker-process.ts'],
          { OPSBOT_TEST_WORKER: JSON.stringify(workerConfig), LOG_LEVEL: process.env.SCALE_DEBUG ? 'info' : 'silent' },
          'worker ready',
        ),
      );
    }
    await Promise.all(procs.map((p) => p.start()));
    debug(`${procs.length} processes ready`);

    const view = new ChannelView(slack, CHANNEL);
    const drivers = webUrls.map(
      (eventsUrl) => new SlackDriver({ eventsUrl, signingSecret: SIGNING_SECRET, responseUrlBase: slack.baseUrl }),
    );
    /** As Slack does: a request the bot did not answer with 200 is sent again, here to another web process. */
    const deliver = async (send: (d: SlackDriver) => Promise<{ status: number }>) => {
      for (let attempt = 0; ; attempt++) {
        const d = drivers[Math.floor(random() * drivers.length)]!;
        const res = await send(d).catch(() => ({ status: 0 }));
        if (res.status === 200) return;
        if (attempt > 200) throw new Error('no web process answered for a minute');
        await sleep(300);
      }
    };
    const deadline = Date.now() + o.timeoutMs;
    const waitFor = async <T>(what: string, f: () => T | undefined): Promise<T> => {
      for (;;) {
        const v = f();
        if (v !== undefined) return v;
        if (Date.now() > deadline) throw new Error(`scale campaign: timed out waiting for ${what}`);
        await sleep(100);
      }
    };
    const isFinal = (m: StoredMessage) => /Done in|Failed|Cancelled|Reverted/.test(view.text(m));

    /** One run: ask, approve, wait for its card to show the end. A request whose card never came is asked again. */
    const oneRun = async (cluster: string, command: string) => {
      const started = performance.now();
      const node = command.split(' ')[1]!;
      const header = new RegExp(`${node} \\([0-9.]+\\) on ${cluster}\\b`);
      for (let asked = 0; ; asked++) {
        const before = new Set(view.messages().map((m) => m.ts));
        const answers = view.ephemeralTexts(alice.user_id).length;
        await deliver((d) => d.command('/es', `${command} --cluster ${cluster}`, alice));
        const askedAt = Date.now();
        let card: StoredMessage | undefined;
        while (!card && Date.now() - askedAt < 15_000) {
          card = view.messages().find((m) => !before.has(m.ts) && header.test(view.text(m)));
          if (!card) await sleep(100);
        }
        if (!card && asked >= 2)
          throw new Error(
            `scale campaign: ${command} on ${cluster} got no card; answers: ` +
              view.ephemeralTexts(alice.user_id).slice(answers).join(' | '),
          );
        if (!card) continue; // the web process that acked died before it posted: ask again, as a person would
        for (;;) {
          const now = view.card(card.ts)!;
          if (isFinal(now)) {
            debug(`${cluster} ${command}: ${view.text(now).split('\n')[0]}`);
            result.runs.push({
              cluster,
              command,
              cardTs: card.ts,
              finalText: view.text(now),
              ms: performance.now() - started,
            });
            return;
          }
          if (view.hasButton(now, 'run_approve')) {
            await deliver((d) =>
              d.click({ action_id: 'run_approve' }, bob, { channel: CHANNEL, ts: now.ts, blocks: now.blocks }),
            );
            await waitFor('the approval to show', () =>
              view.hasButton(view.card(card.ts)!, 'run_approve') ? undefined : true,
            );
          }
          if (Date.now() > deadline)
            throw new Error(
              `scale campaign: ${command} on ${cluster} never ended; its card: ${view.text(now)}\n` +
                `stored: ${await storedState(redis.url, prefix, view.text(now))}`,
            );
          await sleep(200);
        }
      }
    };
    const campaign = async (cluster: string) => {
      for (let r = 0; r < o.runsPerCluster; r++) {
        const node = `node-${3 + Math.floor(r / 2)}`;
        await oneRun(cluster, `${r % 2 ? 'undrain' : 'drain'} ${node}`);
      }
    };
    let campaignDone = false;
    // Kills spread over the campaign's expected length (about 8 s a run on each cluster); Redis is
    // restarted right after the first kill, while every cluster has a run under way.
    const chaos = async () => {
      const gap = (o.runsPerCluster * 8_000) / (o.kills + 1);
      for (let k = 0; k < o.kills && !campaignDone; k++) {
        await sleep(gap * (0.5 + random()));
        if (campaignDone) break;
        const victim = procs[Math.floor(random() * procs.length)]!;
        result.kills.push(victim.name);
        debug(`SIGKILL ${victim.name}`);
        await victim.kill();
        await sleep(200 + random() * 800);
        await victim.start();
        if (o.redisRestart && k === 0) {
          result.kills.push('redis');
          debug('Redis restart');
          await redis.stop();
          await sleep(300);
          await redis.start();
        }
      }
    };
    const chaosDone = chaos();
    await Promise.all(Object.keys(clusters).map(campaign));
    campaignDone = true;
    await chaosDone;
    // Longer than a card's throttle: a late render from any process would have landed by now.
    await sleep(5_000);
    for (const run of result.runs) run.finalText = view.text(view.card(run.cardTs)!);
    proxies.forEach((p, i) => (result.settingsWrites[`c${i + 1}`] = p.settingsWrites().length));
    result.rateLimited = slack.calls.filter((c) => c.rateLimited).length;
    result.chatUpdates = slack.callsTo('chat.update').length;
    result.wallMs = performance.now() - t0;
    return result;
  } finally {
    await Promise.all(procs.map((p) => p.kill()));
    await Promise.all(proxies.map((p) => p.close()));
    await Promise.all(sims.map((s) => s.close()));
    await slack.close();
    await destroyPrivateRedis(redis);
    leftovers.delete(redisOnExit);
  }
}
