import { Rng } from './rng.js';
import { SimCluster } from './sim-cluster.js';
import type { SimIndexSpec, SimNodeSpec } from './types.js';

export interface GenerateClusterOptions {
  seed: number;
  /** Node count, 1..250: node-1..node-N at 172.31.0.1..N. */
  nodes: number;
  /** Shard copies in total (primaries and replicas), as `_cat/shards` would count rows. */
  shards: number;
  /** Bytes of all copies together; spread over shards with some variety. */
  totalBytes: number;
  /** Share of nodes per `zone` attribute value; default 25% primary, 25% secondary, 50% spot. */
  zones?: Record<string, number>;
  name?: string;
  /** Explicit IPs per node (lets a test give two nodes one address). */
  ips?: string[];
  recoveryBytesPerSec?: number;
  epochMs?: number;
}

/** ActiveData's tables and their shard counts (test results had 300 shards, others 50, 20, 5). */
const TABLES: Array<{ prefix: string; shards: number; weight: number }> = [
  { prefix: 'unittest', shards: 300, weight: 5 },
  { prefix: 'jobs', shards: 50, weight: 3 },
  { prefix: 'perf', shards: 50, weight: 3 },
  { prefix: 'coverage', shards: 20, weight: 2 },
  { prefix: 'treeherder', shards: 20, weight: 2 },
  { prefix: 'task', shards: 20, weight: 1 },
  { prefix: 'repo', shards: 5, weight: 1 },
  { prefix: 'fx-test', shards: 5, weight: 1 },
  { prefix: 'saved_queries', shards: 5, weight: 1 },
];

/** The smallest ActiveData node disk. */
const MIN_DISK_BYTES = 26 * 1024 ** 3;

/**
 * A deterministic ActiveData-like cluster for a seed: nodes over zones, dated indexes
 * (`unittest20160105_120000`) with the newest of each table aliased to the table name, and every
 * copy already STARTED (green), balanced by shard count, with disks 35% to 70% full.
 */
export function generateCluster(opts: GenerateClusterOptions): SimCluster {
  if (!Number.isInteger(opts.nodes) || opts.nodes < 1 || opts.nodes > 250)
    throw new Error(`nodes must be 1..250, got ${opts.nodes}`);
  if (!Number.isInteger(opts.shards) || opts.shards < 0 || opts.shards > 200_000)
    throw new Error(`shards must be 0..200000, got ${opts.shards}`);
  const rng = new Rng(opts.seed);
  const indices = generateIndices(rng, opts.shards, opts.totalBytes, opts.nodes);
  const zones = assignZones(rng, opts.nodes, opts.zones ?? { primary: 0.25, secondary: 0.25, spot: 0.5 });
  // ES balances by shard count, so every node ends up with about the same bytes; disks differ in
  // how full that makes them (35% to 70%), which keeps the start both balanced and under watermarks.
  const share = opts.totalBytes / opts.nodes;
  const nodes: SimNodeSpec[] = Array.from({ length: opts.nodes }, (_, i) => ({
    name: `node-${i + 1}`,
    ip: opts.ips?.[i] ?? `172.31.${Math.floor(i / 254)}.${(i % 254) + 1}`,
    zone: zones[i] as string,
    diskTotalBytes: Math.max(MIN_DISK_BYTES, Math.round(share / (0.35 + 0.35 * rng.next()))),
  }));
  const cluster: ConstructorParameters<typeof SimCluster>[0] = {
    name: opts.name ?? 'active-data',
    nodes,
    indices,
    seed: opts.seed,
  };
  if (opts.recoveryBytesPerSec !== undefined) cluster.recoveryBytesPerSec = opts.recoveryBytesPerSec;
  if (opts.epochMs !== undefined) cluster.epochMs = opts.epochMs;
  return new SimCluster(cluster);
}

function generateIndices(rng: Rng, totalCopies: number, totalBytes: number, nodeCount: number): SimIndexSpec[] {
  const specs: SimIndexSpec[] = [];
  const stamps = new Map<string, number>();
  const weightSum = TABLES.reduce((a, t) => a + t.weight, 0);
  let remaining = totalCopies;
  // One replica needs two nodes; a single-node cluster gets primaries only.
  const replicas = nodeCount > 1 ? 1 : 0;
  while (remaining > 0) {
    let roll = rng.next() * weightSum;
    const table = TABLES.find((t) => (roll -= t.weight) < 0) ?? TABLES[0]!;
    const copiesPerShard = remaining === 1 ? 1 : replicas + 1;
    const shards = Math.max(1, Math.min(table.shards, Math.floor(remaining / copiesPerShard)));
    // Each table's instances go back in time, a few days to a few weeks apart.
    const stamp =
      (stamps.get(table.prefix) ?? Date.UTC(2016, 0, 5, 12)) - rng.int(1, 21) * 86_400_000 - rng.int(0, 86_399) * 1000;
    stamps.set(table.prefix, stamp);
    specs.push({
      name: `${table.prefix}${formatStamp(stamp)}`,
      shards,
      replicas: copiesPerShard - 1,
      bytesPerShard: 0,
    });
    remaining -= shards * copiesPerShard;
  }
  // The newest instance of each table carries the table's alias.
  const newest = new Map<string, SimIndexSpec>();
  for (const spec of specs) {
    const prefix =
      TABLES.find((t) => spec.name.startsWith(t.prefix) && /^\d/.test(spec.name.slice(t.prefix.length)))?.prefix ??
      spec.name;
    const current = newest.get(prefix);
    if (!current || spec.name > current.name) newest.set(prefix, spec);
  }
  for (const [prefix, spec] of newest) spec.aliases = [prefix];
  sizeShards(rng, specs, totalBytes);
  return specs;
}

/** Gives every shard a size so that all copies add up to about totalBytes. */
function sizeShards(rng: Rng, specs: SimIndexSpec[], totalBytes: number): void {
  let rawTotal = 0;
  for (const spec of specs) {
    const weight = 0.5 + rng.next();
    spec.shardBytes = Array.from({ length: spec.shards }, () => weight * (0.8 + 0.4 * rng.next()));
    rawTotal += spec.shardBytes.reduce((a, b) => a + b, 0) * (spec.replicas + 1);
  }
  const factor = rawTotal === 0 ? 0 : totalBytes / rawTotal;
  for (const spec of specs) {
    spec.shardBytes = (spec.shardBytes ?? []).map((raw) => Math.floor(raw * factor));
    spec.bytesPerShard = spec.shardBytes[0] ?? 0;
  }
}

function assignZones(rng: Rng, count: number, shares: Record<string, number>): string[] {
  const entries = Object.entries(shares).filter(([, s]) => s > 0);
  const sum = entries.reduce((a, [, s]) => a + s, 0);
  const exact = entries.map(([zone, s]) => ({ zone, n: (s / sum) * count }));
  const counts = exact.map((e) => ({ zone: e.zone, n: Math.floor(e.n), frac: e.n - Math.floor(e.n) }));
  let left = count - counts.reduce((a, c) => a + c.n, 0);
  for (const c of [...counts].sort((a, b) => b.frac - a.frac)) if (left-- > 0) c.n++;
  const zones = counts.flatMap((c) => Array.from({ length: c.n }, () => c.zone));
  for (let i = zones.length - 1; i > 0; i--) {
    const j = rng.int(0, i);
    [zones[i], zones[j]] = [zones[j] as string, zones[i] as string];
  }
  return zones;
}

function formatStamp(ms: number): string {
  const d = new Date(ms);
  const p = (n: number): string => String(n).padStart(2, '0');
  const date = `${d.getUTCFullYear()}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}`;
  return `${date}_${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}`;
}
