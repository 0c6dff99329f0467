import {
  DEFAULT_RECOVERY_LIMITS,
  RATE_KEY,
  readActiveRecoveries,
  readSettingsWithDefaults,
  type Clusters,
  type Recovery,
  type SettingsWithDefaults,
} from '../targets/elasticsearch/index.js';

const A = 'cluster.routing.allocation.';
const BOTH = `${A}node_concurrent_recoveries`;

/** One recovery throttle: what each scope sets and what ES applies. */
export interface ThrottleRow {
  key: string;
  persistent?: string;
  transient?: string;
  effective: string;
  /** Where the effective value comes from. */
  from: 'transient' | 'persistent' | 'node_concurrent_recoveries' | 'default';
}

/**
 * One node's share of the active recoveries: as a target (in) and as a source (out). No rate: the
 * recoveries' averages since they started do not add up to what the node moves now (one look is
 * not two), and a sum above the throttle would mislead.
 */
export interface NodeRecoveryLoad {
  node: string;
  incoming: number;
  outgoing: number;
  bytesInLeft: number;
  bytesOutLeft: number;
}

/** An active recovery and its average rate so far (bytes per second), when ES says how long it has run. */
export interface ActiveRecovery extends Recovery {
  rate?: number;
}

/** What `/es recovery` shows. */
export interface RecoveryReport {
  cluster: string;
  throttles: ThrottleRow[];
  recoveries: ActiveRecovery[];
  nodes: NodeRecoveryLoad[];
}

/** ES 8's defaults for a cluster whose `include_defaults` answer lacks them. */
const BUILT_IN: Record<string, string> = {
  [RATE_KEY]: '40mb',
  [BOTH]: String(DEFAULT_RECOVERY_LIMITS.incoming),
};

/** Transient over persistent; the per-direction counts fall back to node_concurrent_recoveries, as in ES. */
export function throttleRows(s: SettingsWithDefaults): ThrottleRow[] {
  const explicit = (key: string) => s.transient[key] ?? s.persistent[key];
  const row = (key: string, fallback?: string): ThrottleRow => {
    const base = { key, persistent: s.persistent[key], transient: s.transient[key] };
    if (s.transient[key] !== undefined) return { ...base, effective: s.transient[key], from: 'transient' };
    if (s.persistent[key] !== undefined) return { ...base, effective: s.persistent[key], from: 'persistent' };
    const inherited = fallback === undefined ? undefined : explicit(fallback);
    if (inherited !== undefined) return { ...base, effective: inherited, from: 'node_concurrent_recoveries' };
    const def = s.defaults[key] ?? (fallback === undefined ? undefined : s.defaults[fallback]) ?? BUILT_IN[key];
    return { ...base, effective: def ?? BUILT_IN[BOTH]!, from: 'default' };
  };
  return [
    row(RATE_KEY),
    row(`${A}node_concurrent_incoming_recoveries`, BOTH),
    row(`${A}node_concurrent_outgoing_recoveries`, BOTH),
    row(BOTH),
  ];
}

/** `_cat/recovery` says `n/a` where a recovery has no source node (from the store or a snapshot). */
export const nodeOf = (name: string | undefined): string | undefined => (name && name !== 'n/a' ? name : undefined);

const rateOf = (r: Recovery): number | undefined =>
  r.elapsedMs !== undefined && r.elapsedMs > 0 ? (r.bytesRecovered * 1000) / r.elapsedMs : undefined;

/** Per-node totals over the active recoveries: O(active recoveries), only the nodes that take part. */
export function nodeLoads(recoveries: ActiveRecovery[]): NodeRecoveryLoad[] {
  const byNode = new Map<string, NodeRecoveryLoad>();
  const load = (node: string) => {
    let l = byNode.get(node);
    if (!l) byNode.set(node, (l = { node, incoming: 0, outgoing: 0, bytesInLeft: 0, bytesOutLeft: 0 }));
    return l;
  };
  for (const r of recoveries) {
    const left = Math.max(0, r.bytesTotal - r.bytesRecovered);
    const target = nodeOf(r.target);
    const source = nodeOf(r.source);
    if (target) {
      const l = load(target);
      l.incoming++;
      l.bytesInLeft += left;
    }
    if (source) {
      const l = load(source);
      l.outgoing++;
      l.bytesOutLeft += left;
    }
  }
  return [...byNode.values()].sort((a, b) => a.node.localeCompare(b.node));
}

/**
 * `/es recovery`: the throttles in force and what is moving now. Two calls whatever the shard
 * count, `_cluster/settings?include_defaults` and `_cat/recovery?active_only`: O(nodes + active recoveries).
 */
export async function readRecoveryReport(
  req: { cluster?: string | undefined },
  deps: { clusters: Clusters },
): Promise<RecoveryReport> {
  const cluster = deps.clusters.get(req.cluster);
  const [settings, active] = await Promise.all([readSettingsWithDefaults(cluster), readActiveRecoveries(cluster)]);
  const recoveries = active.map((r) => ({ ...r, rate: rateOf(r) }));
  return { cluster: cluster.name, throttles: throttleRows(settings), recoveries, nodes: nodeLoads(recoveries) };
}
