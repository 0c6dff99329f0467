import { Rng } from '../es/rng.js';
import type { SimIndexSpec, SimNodeSpec } from '../es/index.js';

/** The runbooks a chaos schedule drives. */
export const CHAOS_RUNBOOKS = ['drain', 'bounce', 'rolling-restart', 'maintain'] as const;
export type ChaosRunbook = (typeof CHAOS_RUNBOOKS)[number];

/** What can go wrong while a runbook runs, as operators of real clusters have seen it. */
export const FAULT_KINDS = [
  'node-crash',
  'node-never-returns',
  'transient-override',
  'exclusion-removed',
  'disk-high',
  'disk-flood',
  'ssh-hang',
  'es-429',
  'es-timeout',
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

/** One fault, `atMs` simulated milliseconds after the run was approved. */
export interface Fault {
  atMs: number;
  kind: FaultKind;
  /** The node it hits (crashes, disks, SSH), when it hits one. */
  node?: string;
  /** How long it lasts in simulated ms (a crashed node's time away, an override's life); none: for good. */
  forMs?: number;
  /** For ES faults: how many requests fail (429) or real ms the cluster does not answer (timeout). */
  count?: number;
}

/** Everything one random schedule consists of: replaying the same seed gives the same schedule. */
export interface Schedule {
  seed: number;
  runbook: ChaosRunbook;
  /** The node(s) the command names (all of a zone for a rolling restart). */
  targets: string[];
  /** A rolling restart restricted to one zone. */
  zone?: string;
  /** A drain with `--fast`: the recovery throttles raised for it and restored however it ends. */
  fast?: boolean;
  nodes: SimNodeSpec[];
  indices: SimIndexSpec[];
  /** Persistent settings already in force before the request (I4: the run must leave them). */
  before: Record<string, string>;
  faults: Fault[];
}

const MB = 1024 ** 2;
const GB = 1024 ** 3;
const ZONES = ['primary', 'secondary', 'spot'] as const;

/** Faults that need a node command (SSH) to matter, and those that need an exclusion entry. */
const NEEDS_SSH: readonly FaultKind[] = ['ssh-hang'];
const NEEDS_EXCLUSION: readonly FaultKind[] = ['exclusion-removed'];

function faultsFor(runbook: ChaosRunbook): FaultKind[] {
  const ssh = runbook !== 'drain';
  const excludes = runbook === 'drain' || runbook === 'maintain';
  return FAULT_KINDS.filter((k) => (ssh || !NEEDS_SSH.includes(k)) && (excludes || !NEEDS_EXCLUSION.includes(k)));
}

/**
 * A seeded schedule: a small cluster (4 or 5 nodes over three zones, one replica, a few hundred
 * MB per shard so a drain takes simulated seconds), one runbook with its targets, settings that
 * were there before, and 1 to 3 faults spread over the first simulated minute of the run.
 */
export function generateSchedule(seed: number): Schedule {
  const rng = new Rng(seed);
  const count = rng.int(4, 5);
  const nodes: SimNodeSpec[] = Array.from({ length: count }, (_, i) => ({
    name: `node-${i + 1}`,
    ip: `172.31.0.${11 + i}`,
    host: '127.0.0.1',
    zone: ZONES[i % ZONES.length]!,
    diskTotalBytes: 100 * GB,
  }));
  const indices: SimIndexSpec[] = [
    { name: 'unittest20160101_000000', shards: rng.int(3, 6), replicas: 1, bytesPerShard: rng.int(64, 384) * MB },
    { name: 'jobs20160101_000000', shards: rng.int(2, 4), replicas: 1, bytesPerShard: rng.int(32, 256) * MB },
  ];
  const runbook = rng.pick(CHAOS_RUNBOOKS);
  const names = nodes.map((n) => n.name);
  let targets: string[];
  let zone: string | undefined;
  if (runbook === 'bounce') {
    const first = rng.pick(names);
    const rest = names.filter((n) => n !== first);
    targets = rng.next() < 0.5 ? [first] : [first, rng.pick(rest)];
  } else if (runbook === 'rolling-restart') {
    zone = rng.pick(ZONES);
    targets = nodes.filter((n) => n.zone === zone).map((n) => n.name);
  } else {
    targets = [rng.pick(names)];
  }
  const before: Record<string, string> = {};
  if (rng.next() < 0.4) before['cluster.routing.allocation.exclude._ip'] = '10.0.0.7';
  const kinds = faultsFor(runbook);
  const faults: Fault[] = Array.from({ length: rng.int(1, 3) }, () => {
    const kind = rng.pick(kinds);
    const fault: Fault = { atMs: rng.int(0, 60_000), kind };
    if (kind === 'node-crash' || kind === 'node-never-returns' || kind === 'disk-high' || kind === 'disk-flood') {
      fault.node = rng.next() < 0.5 ? rng.pick(targets) : rng.pick(names);
    }
    if (kind === 'ssh-hang') fault.node = rng.pick(targets);
    if (kind === 'node-crash') fault.forMs = rng.int(2_000, 40_000);
    if (kind === 'transient-override' && rng.next() < 0.5) fault.forMs = rng.int(2_000, 30_000);
    if (kind === 'es-429') fault.count = rng.int(1, 6);
    if (kind === 'es-timeout') fault.count = rng.int(200, 1_500);
    return fault;
  });
  faults.sort((a, b) => a.atMs - b.atMs);
  // A drain may be fast and of two nodes: drawn apart, so that the other runbooks' schedules (and
  // the faults of every seed) stay what they were before drains had these options.
  let fast = false;
  if (runbook === 'drain') {
    const more = new Rng(seed + 0x5eed);
    fast = more.next() < 0.4;
    if (more.next() < 0.3) targets.push(more.pick(names.filter((n) => n !== targets[0])));
  }
  return {
    seed,
    runbook,
    targets,
    ...(zone ? { zone } : {}),
    ...(fast ? { fast } : {}),
    nodes,
    indices,
    before,
    faults,
  };
}

/** One line per fault, readable in a failure message and enough to recognise a replay. */
export function describeSchedule(s: Schedule): string {
  const command =
    s.runbook === 'rolling-restart'
      ? `/es rolling-restart --zone ${s.zone}`
      : `/es ${s.runbook} ${s.targets.join(' ')}${s.fast ? ' --fast' : ''}`;
  const shards = s.indices.map((i) => `${i.name} ${i.shards}x${Math.round(i.bytesPerShard / MB)}MB`).join(', ');
  const before = Object.entries(s.before).map(([k, v]) => `${k}=${v}`);
  const faults = s.faults.map((f) => {
    const parts = [`t+${(f.atMs / 1000).toFixed(1)}s ${f.kind}`];
    if (f.node) parts.push(f.node);
    if (f.forMs !== undefined) parts.push(`for ${(f.forMs / 1000).toFixed(1)}s`);
    if (f.count !== undefined) parts.push(f.kind === 'es-timeout' ? `${f.count} ms` : `${f.count} requests`);
    return `  ${parts.join(' ')}`;
  });
  return [
    `seed ${s.seed}: ${command} on ${s.nodes.length} nodes (${shards})`,
    ...(before.length ? [`  before: ${before.join(', ')}`] : []),
    ...faults,
  ].join('\n');
}
