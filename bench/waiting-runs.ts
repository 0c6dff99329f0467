import { fork } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { build } from 'esbuild';
import { Redis } from 'ioredis';
import { Engine } from '../src/engine/index.js';
import { destroyPrivateRedis, startPrivateRedis } from '../src/sim/services/private-redis.js';
import { waitingRunbook } from './waiting-worker.js';

export interface WaitingRow {
  runs: number;
  recheckS: number;
  workerRssMB: number;
  workerHeapMB: number;
  idleWorkerRssMB: number;
  redisMB: number;
  cpuPctOfOneCore: number;
}

interface Measured {
  type: 'measured';
  cpuMs: number;
  elapsed: number;
  mem: NodeJS.MemoryUsage;
}

/**
 * What waiting costs: `runs` runs each parked in a step that re-checks every `recheckMs` (like a
 * drain polling its node), on one worker process of their own, compiled and run by plain node as
 * in production and loading what the production worker loads. The runs are created from this
 * process. Reports the worker's RSS and heap once every run is parked (and the same worker's RSS
 * with no run, beside it), Redis memory, and the worker's CPU over the window.
 */
export async function measureWaitingRuns(runs = 1000, recheckMs = 10_000, windowMs = 20_000): Promise<WaitingRow> {
  mkdirSync('bench/results', { recursive: true });
  const bundle = 'bench/results/waiting-worker.mjs';
  await build({
    entryPoints: ['bench/waiting-worker.ts'],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    outfile: bundle,
    logLevel: 'error',
  });
  const redisServer = await startPrivateRedis();
  const redis = new Redis(redisServer.url);
  const creator = new Engine({
    redis: redisServer.url,
    prefix: 'bench',
    runbooks: [waitingRunbook(recheckMs)],
    reporter: { onEvent: () => Promise.resolve() },
    approvers: { canApprove: () => Promise.resolve(false) },
  });
  const worker = fork(bundle, [], {
    execArgv: [
      '--expose-gc',
      ...(process.env.BENCH_CPU_PROF ? ['--cpu-prof', '--cpu-prof-dir', process.env.BENCH_CPU_PROF] : []),
    ],
    env: { ...process.env, BENCH_REDIS_URL: redisServer.url, BENCH_RECHECK_MS: String(recheckMs) },
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const next = <T>(type: string) =>
    new Promise<T>((resolve, reject) => {
      const on = (m: { type: string }) => {
        if (m.type !== type) return;
        worker.off('message', on);
        resolve(m as T);
      };
      worker.on('message', on);
      worker.once('exit', (code) => reject(new Error(`bench worker exited (${code})`)));
    });
  try {
    await next('started');
    worker.send({ type: 'measure', windowMs: 1_000 });
    const idle = await next<Measured>('measured');
    for (let i = 0; i < runs; i += 100) {
      await Promise.all(
        Array.from({ length: Math.min(100, runs - i) }, (_, j) =>
          creator.createRun({ runbook: 'bench.wait', params: { i: i + j }, requester: 'U0BENCH', channel: 'C0BENCH' }),
        ),
      );
    }
    // Until every run has been polled at least once and parked.
    while ((await redis.zcard('bench:bull:runs:delayed')) < runs) await new Promise((r) => setTimeout(r, 200));
    worker.send({ type: 'measure', windowMs });
    const m = await next<Measured>('measured');
    const used = Number(/used_memory:(\d+)/.exec(await redis.info('memory'))?.[1] ?? 0);
    return {
      runs,
      recheckS: recheckMs / 1000,
      workerRssMB: round(m.mem.rss / 2 ** 20),
      workerHeapMB: round(m.mem.heapUsed / 2 ** 20),
      idleWorkerRssMB: round(idle.mem.rss / 2 ** 20),
      redisMB: round(used / 2 ** 20),
      cpuPctOfOneCore: round((m.cpuMs / m.elapsed) * 100),
    };
  } finally {
    const gone = new Promise((r) => worker.once('exit', r));
    if (worker.exitCode === null) worker.send({ type: 'stop' });
    await gone;
    await creator.close();
    redis.disconnect();
    await destroyPrivateRedis(redisServer);
  }
}

const round = (n: number) => Math.round(n * 10) / 10;
