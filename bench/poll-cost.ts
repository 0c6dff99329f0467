import { Client } from '@elastic/elasticsearch';
import { generateCluster, startEsSimulator } from '../src/sim/es/index.js';
import { ClusterReader, readDrainSnapshot } from '../src/targets/elasticsearch/index.js';
import { startRecordingProxy } from '../test/support/recording-proxy.js';

export interface PollCostRow {
  shards: number;
  nodes: number;
  pollBytes: number;
  pollMsMedian: number;
  pollMsP95: number;
  naiveShardListBytes: number;
}

const TB = 1024 ** 4;

/**
 * What one drain progress poll costs as the cluster grows: bytes fetched and time, measured
 * through a proxy in front of the simulator while a drain is under way. For comparison, the bytes
 * of listing every shard (what a naive bot polls).
 */
export async function measurePollCost(shards: number, nodes: number, polls = 30): Promise<PollCostRow> {
  const cluster = generateCluster({ seed: 42, nodes, shards, totalBytes: 2 * TB * (nodes / 12) });
  const sim = await startEsSimulator({ cluster, tickMs: 0 });
  const proxy = await startRecordingProxy(sim.url);
  const client = new Client({ node: proxy.url });
  try {
    const reader = new ClusterReader('bench', client, proxy.url);
    const node = (await reader.nodes()).nodes[2]!;
    await client.cluster.putSettings({ persistent: { 'cluster.routing.allocation.exclude._ip': node.ip } });
    cluster.advance(5_000); // relocations in flight, as during a real drain
    await readDrainSnapshot(reader, node.name); // warm-up (connection, JIT)
    const times: number[] = [];
    let bytes = 0;
    for (let i = 0; i < polls; i++) {
      const before = proxy.requests.length;
      const t0 = performance.now();
      await readDrainSnapshot(reader, node.name);
      times.push(performance.now() - t0);
      bytes = proxy.requests.slice(before).reduce((s, r) => s + r.responseBytes, 0);
    }
    const before = proxy.requests.length;
    await client.cat.shards({ format: 'json' });
    const naive = proxy.requests.slice(before).reduce((s, r) => s + r.responseBytes, 0);
    times.sort((a, b) => a - b);
    return {
      shards,
      nodes,
      pollBytes: bytes,
      pollMsMedian: round(times[Math.floor(times.length / 2)]!),
      pollMsP95: round(times[Math.floor(times.length * 0.95)]!),
      naiveShardListBytes: naive,
    };
  } finally {
    await client.close();
    await proxy.close();
    await sim.close();
  }
}

const round = (n: number) => Math.round(n * 100) / 100;
