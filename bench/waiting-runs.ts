import { Redis } from 'ioredis';
import { Engine, type Runbook } from '../src/engine/index.js';
import { destroyPrivateRedis, startPrivateRedis } from '../src/sim/services/private-redis.js';

export interface WaitingRow {
  runs: number;
  recheckS: number;
  workerHeapMB: number;
  workerRssMB: number;
  redisMB: number;
  cpuPctOfOneCore: number;
}

/**
 * What waiting costs: `runs` runs each parked in a step that re-checks every `recheckMs` (like a
 * drain polling its node), on one worker. Reports the worker's heap and RSS growth, Redis memory
 * and the CPU the waiting uses over a window, once every run is parked.
 */
export async function measureWaitingRuns(runs = 1000, recheckMs = 10_000, windowMs = 20_000): Promise<WaitingRow> {
  const redisServer = await startPrivateRedis();
  const redis = new Redis(redisServer.url);
  const waiting: Runbook = {
    name: 'bench.wait',
    summary: () => 'waits',
    steps: [
      {
        id: 'poll',
        title: 'Wait while ES moves the shards',
        run: () => Promise.resolve({ status: 'wait', recheckInMs: recheckMs }),
      },
    ],
  };
  const engine = new Engine({
    redis: redisServer.url,
    prefix: 'bench',
    runbooks: [waiting],
    reporter: { onEvent: () => Promise.resolve() },
    approvers: { canApprove: () => Promise.resolve(false) },
  });
  try {
    await engine.startWorker({ concurrency: 10 });
    for (let i = 0; i < runs; i += 100) {
      await Promise.all(
        Array.from({ length: Math.min(100, runs - i) }, (_, j) =>
          engine.createRun({ runbook: 'bench.wait', params: { i: i + j }, requester: 'U0BENCH', channel: 'C0BENCH' }),
        ),
      );
    }
    // Until every run has been polled at least once and parked.
    for (;;) {
      const active = await redis.zcard('bench:bull:runs:delayed');
      if (active >= runs) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    global.gc?.();
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    await new Promise((r) => setTimeout(r, windowMs));
    const cpu = process.cpuUsage(cpu0);
    const elapsed = performance.now() - t0;
    const info = await redis.info('memory');
    const used = Number(/used_memory:(\d+)/.exec(info)?.[1] ?? 0);
    const mem = process.memoryUsage();
    return {
      runs,
      recheckS: recheckMs / 1000,
      workerHeapMB: round(mem.heapUsed / 2 ** 20),
      workerRssMB: round(mem.rss / 2 ** 20),
      redisMB: round(used / 2 ** 20),
      cpuPctOfOneCore: round(((cpu.user + cpu.system) / 1000 / elapsed) * 100),
    };
  } finally {
    await engine.close();
    redis.disconnect();
    await destroyPrivateRedis(redisServer);
  }
}

const round = (n: number) => Math.round(n * 10) / 10;
