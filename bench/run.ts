import { mkdirSync, writeFileSync } from 'node:fs';
import { measurePollCost, type PollCostRow } from './poll-cost.js';

/** `npm run bench`: prints a table per benchmark and writes bench/results/latest.json. */
async function main(): Promise<void> {
  const rows: PollCostRow[] = [];
  for (const [shards, nodes] of [[1_000, 12], [10_000, 30], [100_000, 100]] as const) {
    rows.push(await measurePollCost(shards, nodes));
  }
  process.stdout.write('\nDrain progress poll cost (one poll = _cat/allocation/NODE + _cat/recovery?active_only + _cluster/health)\n');
  console.table(rows.map((r) => ({
    shards: r.shards, nodes: r.nodes, 'poll bytes': r.pollBytes, 'poll ms p50': r.pollMsMedian, 'poll ms p95': r.pollMsP95,
    'listing every shard (bytes)': r.naiveShardListBytes,
  })));
  mkdirSync('bench/results', { recursive: true });
  const out = { at: new Date().toISOString(), node: process.version, pollCost: rows };
  writeFileSync('bench/results/latest.json', `${JSON.stringify(out, null, 2)}\n`);
  process.stdout.write('written: bench/results/latest.json\n');
}

main().catch((err) => { console.error(err); process.exit(1); });
