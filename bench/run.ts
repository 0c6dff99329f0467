import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { measureAckLatency, type AckRow } from './ack-latency.js';
import { measureBackfill } from './backfill.js';
import { ETA_SCENARIOS, measureEtaAccuracy, type EtaRow } from './eta-accuracy.js';
import { FAST_CASES, measureFastDrains, type FastDrainRow } from './drain-fast.js';
import { measurePollCost, type PollCostRow } from './poll-cost.js';
import { measureSoak } from './soak.js';
import { measureWaitingRuns } from './waiting-runs.js';

const BENCHMARKS: Record<string, { title: string; run: () => Promise<unknown[]> }> = {
  ack: {
    title: 'Ack latency through the real HTTP receiver of the web process (Slack allows 3 s)',
    run: async () => {
      const rows: AckRow[] = [await measureAckLatency(50, 'status', false)];
      // Side by side, alternating, three rounds: a bare Bolt app that acks and posts one ephemeral.
      for (let round = 0; round < 3; round++)
        for (const app of ['bare-bolt', 'opsbot'] as const)
          rows.push(await measureAckLatency(200, 'status', true, app));
      rows.push(await measureAckLatency(200, 'help'));
      return rows;
    },
  },
  poll: {
    title: 'Drain progress poll cost (_cat/allocation/NODE + _cat/recovery?active_only + _cluster/health)',
    run: async () => {
      const rows: PollCostRow[] = [];
      for (const [shards, nodes] of [
        [1_000, 12],
        [10_000, 30],
        [100_000, 100],
      ] as const)
        rows.push(await measurePollCost(shards, nodes));
      return rows;
    },
  },
  waiting: {
    title: '1,000 runs waiting at once (each re-checks every 10 s), one worker process (plain node, as in production)',
    run: async () => [await measureWaitingRuns(1000, 10_000, 20_000)],
  },
  eta: {
    title:
      'Drain ETA at 10/50/90 % of bytes moved vs the real finish: old (bytes left ÷ observed rate) and new (physics)',
    run: async () => {
      const rows: EtaRow[] = [];
      for (const s of ETA_SCENARIOS) rows.push(...(await measureEtaAccuracy(s)));
      return rows;
    },
  },
  fast: {
    title:
      'Drain wall time at the default and a raised recovery throttle (--fast), vs the least the throttles allow ' +
      '(generated 12-node, 24,000-copy, 6 TB cluster; the real wait step polled every 5 s)',
    run: async () => {
      const rows: FastDrainRow[] = [];
      const [defaults, fourTimes] = [FAST_CASES[0]!, FAST_CASES[1]!];
      rows.push(...(await measureFastDrains('1 replica', 'node-3', 42)));
      rows.push(...(await measureFastDrains('some 0 replicas', 'node-3', 42, [defaults, fourTimes])));
      rows.push(...(await measureFastDrains('2 replicas', 'node-5', 42, [defaults, fourTimes])));
      return rows;
    },
  },
  backfill: {
    title: 'Backfill comparison: 2 M source keys merged with 1.3 M destination keys (fauxqs, in-process)',
    run: async () => [await measureBackfill(Number(process.env.BENCH_BACKFILL_KEYS ?? 2_000_000))],
  },
  soak: {
    title: 'Bot + worker (one local-mode process) after an hour of simulated drains and undrains',
    run: async () => [await measureSoak(1, 400)],
  },
};

/**
 * `npm run bench [name]`: each benchmark runs in a process of its own (so memory figures are its
 * own), prints a table, and all results go to bench/results/latest.json.
 */
async function main(): Promise<void> {
  const [name, out] = process.argv.slice(2);
  if (name && out) {
    const rows = await BENCHMARKS[name]!.run();
    writeFileSync(out, JSON.stringify(rows));
    return;
  }
  mkdirSync('bench/results', { recursive: true });
  const results: Record<string, unknown> = { at: new Date().toISOString(), node: process.version };
  for (const key of name ? [name] : Object.keys(BENCHMARKS)) {
    const bench = BENCHMARKS[key];
    if (!bench) throw new Error(`unknown benchmark ${key}; one of ${Object.keys(BENCHMARKS).join(', ')}`);
    const file = `bench/results/${key}.tmp.json`;
    const r = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', 'bench/run.ts', key, file], {
      stdio: ['ignore', 'ignore', 'inherit'],
      env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    });
    if (r.status !== 0) throw new Error(`benchmark ${key} failed (exit ${r.status})`);
    const rows = JSON.parse(readFileSync(file, 'utf8')) as unknown[];
    process.stdout.write(`\n${bench.title}\n`);
    console.table(rows);
    results[key] = rows;
  }
  writeFileSync('bench/results/latest.json', `${JSON.stringify(results, null, 2)}\n`);
  process.stdout.write('\nwritten: bench/results/latest.json\n');
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
