import { mkdirSync, writeFileSync } from 'node:fs';
import { measureAckLatency } from './ack-latency.js';
import { measureEtaAccuracy } from './eta-accuracy.js';
import { measurePollCost, type PollCostRow } from './poll-cost.js';
import { measureSoak } from './soak.js';
import { measureWaitingRuns } from './waiting-runs.js';

const say = (title: string) => process.stdout.write(`\n${title}\n`);

/** `npm run bench`: each benchmark prints a table; all results go to bench/results/latest.json. */
async function main(): Promise<void> {
  const only = process.argv[2];
  const results: Record<string, unknown> = { at: new Date().toISOString(), node: process.version };

  if (!only || only === 'ack') {
    say('Ack latency: 200 concurrent commands through the real HTTP receiver of the web process (Slack allows 3 s)');
    const ack = [await measureAckLatency(50, 'status', false), await measureAckLatency(200, 'help'), await measureAckLatency(200, 'status')];
    console.table(ack);
    results.ackLatency = ack;
  }
  if (!only || only === 'poll') {
    say('Drain progress poll cost (_cat/allocation/NODE + _cat/recovery?active_only + _cluster/health)');
    const rows: PollCostRow[] = [];
    for (const [shards, nodes] of [[1_000, 12], [10_000, 30], [100_000, 100]] as const) rows.push(await measurePollCost(shards, nodes));
    console.table(rows);
    results.pollCost = rows;
  }
  if (!only || only === 'waiting') {
    say('1,000 runs waiting at once (each re-checks every 10 s), one worker');
    const waiting = await measureWaitingRuns(1000, 10_000, 20_000);
    console.table([waiting]);
    results.waitingRuns = waiting;
  }
  if (!only || only === 'eta') {
    say('ETA accuracy on a simulated 2 TB drain (error of the ETA shown at 10/50/90 % vs the real finish)');
    const eta = [...(await measureEtaAccuracy(false)), ...(await measureEtaAccuracy(true))];
    console.table(eta);
    results.etaAccuracy = eta;
  }
  if (!only || only === 'soak') {
    say('Bot + worker (one local-mode process) RSS over an hour of simulated drains and undrains');
    const soak = await measureSoak(1, 400);
    console.table([soak]);
    results.soak = soak;
  }
  mkdirSync('bench/results', { recursive: true });
  writeFileSync('bench/results/latest.json', `${JSON.stringify(results, null, 2)}\n`);
  process.stdout.write('\nwritten: bench/results/latest.json\n');
}

main().then(() => process.exit(0), (err) => { console.error(err); process.exit(1); });
