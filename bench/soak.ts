import { startLocalStack } from '../src/main/local-stack.js';
import { generateCluster } from '../src/sim/es/index.js';
import { destroyPrivateRedis, startPrivateRedis } from '../src/sim/services/private-redis.js';

export interface SoakRow {
  simulatedHours: number;
  realSeconds: number;
  runs: number;
  rssStartMB: number;
  rssEndMB: number;
  heapEndMB: number;
}

const TB = 1024 ** 4;

/**
 * Bot and worker (one local-mode process) after an hour of simulated activity: drains and
 * undrains requested, approved and completed back to back through Slack, with the simulator at
 * `speed` × real time. Reports RSS at the start (warmed up) and at the end.
 */
export async function measureSoak(simulatedHours = 1, speed = 400): Promise<SoakRow> {
  const redis = await startPrivateRedis();
  const stack = await startLocalStack({
    redisUrl: redis.url,
    speed,
    tickMs: 50,
    cluster: generateCluster({ seed: 9, nodes: 12, shards: 2_400, totalBytes: 0.6 * TB }),
    estate: { approvers: { users: ['U0BOB'] } },
    drainTiming: { pollMs: 200, stallAfterMs: 600_000 },
    cardUpdates: { perMessageMs: 500, globalGapMs: 50 },
  });
  const alice = { user_id: 'U0ALICE', channel_id: 'C0SOAK' };
  const bob = { user_id: 'U0BOB', channel_id: 'C0SOAK' };
  const engine = stack.bot.engine;
  const settled = async (id: string) => {
    for (;;) {
      const r = await engine.getRun(id);
      if (r && ['succeeded', 'failed', 'denied', 'expired', 'cancelled'].includes(r.status)) return r;
      await new Promise((res) => setTimeout(res, 100));
    }
  };
  const once = async (text: string) => {
    const before = (await engine.listRuns({ limit: 1 }))[0]?.id;
    await stack.driver.command('/es', text, alice);
    let run;
    do {
      await new Promise((r) => setTimeout(r, 50));
      run = (await engine.listRuns({ limit: 1 }))[0];
    } while (!run || run.id === before || !run.message);
    const card = stack.slack.messages('C0SOAK').find((m) => m.ts === run.message!.ts)!;
    await stack.driver.click({ action_id: 'run_approve' }, bob, {
      channel: 'C0SOAK',
      ts: card.ts,
      blocks: card.blocks,
    });
    await settled(run.id);
  };
  try {
    await once('drain node-1');
    await once('undrain node-1');
    global.gc?.();
    const rssStart = process.memoryUsage().rss;
    const t0 = performance.now();
    const simStart = stack.es.cluster.now;
    let runs = 0;
    for (let i = 2; stack.es.cluster.now - simStart < simulatedHours * 3600_000; i = (i % 12) + 1) {
      await once(`drain node-${i}`);
      await once(`undrain node-${i}`);
      runs += 2;
    }
    global.gc?.();
    const mem = process.memoryUsage();
    return {
      simulatedHours: Math.round(((stack.es.cluster.now - simStart) / 3600_000) * 10) / 10,
      realSeconds: Math.round((performance.now() - t0) / 100) / 10,
      runs,
      rssStartMB: Math.round(rssStart / 2 ** 20),
      rssEndMB: Math.round(mem.rss / 2 ** 20),
      heapEndMB: Math.round(mem.heapUsed / 2 ** 20),
    };
  } finally {
    await stack.close();
    await destroyPrivateRedis(redis);
  }
}
