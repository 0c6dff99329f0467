import { Client } from '@elastic/elasticsearch';
import type { Progress } from '../src/engine/index.js';
import { silentLogger } from '../src/log.js';
import { drainParams } from '../src/runbooks/index.js';
import { minimumDrainSeconds } from '../src/runbooks/es-drain/drain-eta.js';
import { waitForEmpty } from '../src/runbooks/es-drain/wait-for-empty.js';
import { startEsSimulator, type SimCluster } from '../src/sim/es/index.js';
import {
  AllocationWriter,
  ClusterReader,
  planDrain,
  readCopySplit,
  recoveryLimits,
} from '../src/targets/elasticsearch/index.js';
import { RecoveryThrottleWriter } from '../src/targets/elasticsearch/recovery-throttle.js';
import { BOT_DEFAULTS } from '../src/main/defaults.js';
import { applyLayout, etaCluster, type EtaLayout } from './eta-clusters.js';

export interface FastDrainRow {
  cluster: string;
  throttle: string;
  /** Simulated hours from the exclusion write to the wait step's "empty: safe to stop". */
  drainH: number;
  /** The least the throttles allow (minimumDrainSeconds), in hours. */
  minimumH: number;
  /** drain ÷ minimum: 1.00 = the bot and the simulator add nothing to the physics. */
  overMinimum: number;
  /** drain ÷ the same drain at the default throttle. */
  vsDefault: number;
}

export interface FastDrainCase {
  label: string;
  /** Persistent throttle settings written (through the fast drain's writer) before the drain. */
  settings: Record<string, string>;
}

export const FAST_CASES: FastDrainCase[] = [
  { label: '40mb, 2 in / 2 out (ES defaults)', settings: {} },
  { label: '160mb (4×), 2 / 2', settings: { 'indices.recovery.max_bytes_per_sec': '160mb' } },
  {
    label: '160mb (4×), 8 / 8',
    settings: {
      'indices.recovery.max_bytes_per_sec': '160mb',
      'cluster.routing.allocation.node_concurrent_incoming_recoveries': '8',
      'cluster.routing.allocation.node_concurrent_outgoing_recoveries': '8',
    },
  },
];

/**
 * One drain of `node` through the bot's own code: the throttles raised by the fast drain's writer,
 * the exclusion by the AllocationWriter, then the real wait step polled at the production interval
 * (BOT_DEFAULTS.drainTiming.pollMs) on simulated time, until it says the node is empty. Returns the
 * simulated seconds it took and the throttles' lower bound for the same bytes.
 */
export async function timeDrain(
  cluster: SimCluster,
  node: string,
  settings: Record<string, string>,
  prepare?: (client: Client) => Promise<void>,
): Promise<{ seconds: number; minimum: number }> {
  const sim = await startEsSimulator({ cluster, tickMs: 0 });
  const client = new Client({ node: sim.url });
  try {
    await prepare?.(client);
    const reader = new ClusterReader('bench', client, sim.url);
    if (Object.keys(settings).length) await new RecoveryThrottleWriter(reader).raise(settings);
    const split = await readCopySplit(reader, node);
    const minimum = minimumDrainSeconds(split, recoveryLimits(await reader.settings()));
    const plan = await planDrain(reader, node, '_ip');
    const started = cluster.now;
    await new AllocationWriter(reader).addExclusion('_ip', plan.value);
    const params = drainParams(plan);
    const ctx = {
      run: { params },
      params,
      state: {},
      attempt: 0,
      now: () => cluster.now,
      log: silentLogger,
      progress: (_p: Progress) => Promise.resolve(),
      note: () => Promise.resolve(),
      signal: new AbortController().signal,
    } as unknown as Parameters<typeof waitForEmpty>[0];
    const timing = { ...BOT_DEFAULTS.drainTiming, stallAfterMs: 6 * 3600_000 };
    for (;;) {
      const out = await waitForEmpty(ctx, reader, timing);
      if (out.status === 'done') return { seconds: (cluster.now - started) / 1000, minimum };
      if (out.status !== 'wait') throw new Error(`the drain stopped: ${JSON.stringify(out)}`);
      // The engine's re-check: the step asked to be called again in recheckInMs.
      cluster.advance(out.recheckInMs);
    }
  } finally {
    await client.close();
    await sim.close();
  }
}

/** The same drain at each throttle, side by side: hours, the lower bound, and the ratios. */
export async function measureFastDrains(
  layout: EtaLayout,
  node: string,
  seed: number,
  cases = FAST_CASES,
  make: (seed: number) => SimCluster = etaCluster,
): Promise<FastDrainRow[]> {
  const rows: FastDrainRow[] = [];
  let base: number | undefined;
  for (const c of cases) {
    const cluster = make(seed);
    const r = await timeDrain(cluster, node, c.settings, (client) => applyLayout(cluster, client, layout));
    base ??= r.seconds;
    rows.push({
      cluster: `${layout}, ${node}`,
      throttle: c.label,
      drainH: round(r.seconds / 3600),
      minimumH: round(r.minimum / 3600),
      overMinimum: round(r.seconds / r.minimum, 3),
      vsDefault: round(r.seconds / base, 3),
    });
  }
  return rows;
}

const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;
