/**
 * The worker side of the waiting-runs benchmark, run as its own process from a bundle (plain
 * `node`, as `node dist/main/worker.js` runs in production: no TypeScript loader in the figures).
 * It loads every module the production worker loads, works on the bench runbook, and on the
 * parent's "measure" message reports its own RSS, heap and CPU over the window.
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { Engine, type Runbook } from '../src/engine/index.js';

const redis = process.env.BENCH_REDIS_URL!;
const recheckMs = Number(process.env.BENCH_RECHECK_MS ?? 10_000);

export const waitingRunbook = (ms: number): Runbook => ({
  name: 'bench.wait',
  summary: () => 'waits',
  steps: [
    {
      id: 'poll',
      title: 'Wait while ES moves the shards',
      run: () => Promise.resolve({ status: 'wait', recheckInMs: ms }),
    },
  ],
});

async function main(): Promise<void> {
  // What the production worker has in memory besides the engine: every runbook, adapter and Slack client.
  await import('../src/main/wire.js');
  const engine = new Engine({
    redis,
    prefix: 'bench',
    runbooks: [waitingRunbook(recheckMs)],
    reporter: { onEvent: () => Promise.resolve() },
    approvers: { canApprove: () => Promise.resolve(false) },
  });
  await engine.startWorker({ concurrency: 10 });
  process.send!({ type: 'started' });
  process.on('message', (m: { type: string; windowMs: number }) => {
    if (m.type === 'measure') {
      void measure(m.windowMs);
    } else if (m.type === 'stop') {
      void engine.close().then(() => process.exit(0));
    }
  });
}

/** Own CPU and memory over the window; with BENCH_CPU_PROF=DIR, a CPU profile of the window too. */
async function measure(windowMs: number): Promise<void> {
  const profile = process.env.BENCH_CPU_PROF ? new Session() : undefined;
  if (profile) {
    profile.connect();
    await profile.post('Profiler.enable');
    await profile.post('Profiler.start');
  }
  global.gc?.();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await new Promise((r) => setTimeout(r, windowMs));
  const cpu = process.cpuUsage(cpu0);
  const elapsed = performance.now() - t0;
  const mem = process.memoryUsage();
  if (profile) {
    const { profile: p } = await profile.post('Profiler.stop');
    writeFileSync(`${process.env.BENCH_CPU_PROF}/waiting-${Date.now()}.cpuprofile`, JSON.stringify(p));
  }
  process.send!({ type: 'measured', cpuMs: (cpu.user + cpu.system) / 1000, elapsed, mem });
}

if (process.env.BENCH_REDIS_URL) void main();
