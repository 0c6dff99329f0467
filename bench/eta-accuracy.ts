import { Client } from '@elastic/elasticsearch';
import type { Progress } from '../src/engine/index.js';
import { silentLogger } from '../src/log.js';
import { waitForEmpty } from '../src/runbooks/es-drain/wait-for-empty.js';
import { SimCluster, startEsSimulator } from '../src/sim/es/index.js';
import { AllocationWriter, ClusterReader, planDrain } from '../src/targets/elasticsearch/index.js';
import { drainParams } from '../src/runbooks/index.js';

export interface EtaRow {
  throughput: string;
  at: string;
  predictedH: number;
  actualH: number;
  errorPct: number;
}

const GB = 1024 ** 3;
const POLL_MS = 60_000;

/**
 * ETA accuracy of the drain's wait step on a simulated 2 TB drain whose throughput changes twice
 * (40 MB/s, then 80 MB/s from 30 %, then 20 MB/s from 70 %): the real step code polls the
 * simulator every simulated minute; its ETA at 10, 50 and 90 % is compared with the real finish.
 */
export async function measureEtaAccuracy(varying: boolean): Promise<EtaRow[]> {
  const nodes = [1, 2, 3, 4].map((i) => ({
    name: `node-${i}`,
    ip: `172.31.0.${10 + i}`,
    zone: 'primary',
    diskTotalBytes: 10_000 * GB,
  }));
  // 8 TB of primaries without replicas over four nodes: about 2 TB on node-3, moved at the recovery rate.
  const cluster = new SimCluster({
    nodes,
    indices: [{ name: 'unittest20160101_000000', shards: 200, replicas: 0, bytesPerShard: 40 * GB }],
    seed: 1,
  });
  const sim = await startEsSimulator({ cluster, tickMs: 0 });
  const client = new Client({ node: sim.url });
  try {
    const reader = new ClusterReader('bench', client, sim.url);
    const plan = await planDrain(reader, 'node-3', '_ip');
    await new AllocationWriter(reader).addExclusion('_ip', plan.value);
    const state: Record<string, unknown> = {};
    let last: Progress = {};
    const ctx = {
      run: { params: drainParams(plan) },
      state,
      attempt: 0,
      now: () => cluster.now,
      log: silentLogger,
      progress: (p: Progress) => {
        last = p;
        return Promise.resolve();
      },
      note: () => Promise.resolve(),
      signal: new AbortController().signal,
    } as unknown as Parameters<typeof waitForEmpty>[0];
    const samples: { fraction: number; at: number; eta?: number }[] = [];
    const marks = [0.1, 0.5, 0.9];
    const seen: Record<number, { at: number; eta: number }> = {};
    let phase = 0;
    for (;;) {
      const out = await waitForEmpty(ctx, reader, { pollMs: POLL_MS, stallAfterMs: 3600_000 });
      const f = Number(last.fraction ?? 0);
      samples.push({ fraction: f, at: cluster.now, eta: last.etaSeconds as number | undefined });
      for (const m of marks)
        if (f >= m && !seen[m] && typeof last.etaSeconds === 'number')
          seen[m] = { at: cluster.now, eta: last.etaSeconds };
      if (varying && phase === 0 && f >= 0.3) {
        await client.cluster.putSettings({ persistent: { 'indices.recovery.max_bytes_per_sec': '80mb' } });
        phase = 1;
      }
      if (varying && phase === 1 && f >= 0.7) {
        await client.cluster.putSettings({ persistent: { 'indices.recovery.max_bytes_per_sec': '20mb' } });
        phase = 2;
      }
      if (out.status === 'done') break;
      cluster.advance(POLL_MS);
    }
    const finish = cluster.now;
    return marks.map((m) => {
      const s = seen[m]!;
      const actual = (finish - s.at) / 1000;
      return {
        throughput: varying ? '40 → 80 → 20 MB/s' : '40 MB/s',
        at: `${m * 100}%`,
        predictedH: round(s.eta / 3600),
        actualH: round(actual / 3600),
        errorPct: round(((s.eta - actual) / actual) * 100),
      };
    });
  } finally {
    await client.close();
    await sim.close();
  }
}

const round = (n: number) => Math.round(n * 100) / 100;
