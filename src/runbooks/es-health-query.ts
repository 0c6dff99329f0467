import {
  explainShard,
  type Clusters,
  type HealthSummary,
  type ShardExplanation,
} from '../targets/elasticsearch/index.js';

/** One red or yellow index: what is missing and why ES says it is. */
export interface UnhealthyIndex {
  index: string;
  status: 'red' | 'yellow';
  unassignedPrimaries: number;
  unassignedReplicas: number;
  initializing: number;
  /** ES's unassigned.reason of its unassigned copies, counted (NODE_LEFT: 3). */
  reasons: Record<string, number>;
  /** Its first unassigned copy (a primary first), for `/es explain`. */
  first?: { shard: number; primary: boolean };
}

export interface IndicesHealthReport {
  cluster: string;
  health: HealthSummary;
  /** Red first, then by unassigned copies, most first. */
  indices: UnhealthyIndex[];
  /** The allocation explanation of the worst index's first unassigned copy (undefined: none, or unreadable). */
  worst?: ShardExplanation;
}

/** Past this many unhealthy indices, one `_cat/shards` of everything is shorter than a URL naming them. */
const NAMED_INDICES_MAX = 40;

/**
 * `/es health --indices`: O(indices) for the health by index, then `_cat/shards` of the red and
 * yellow indices only (five columns), and one allocation explain: cheap on 100k shards when few
 * indices are unhealthy, and one table read when many are.
 */
export async function readIndicesHealth(
  req: { cluster?: string | undefined },
  deps: { clusters: Clusters },
): Promise<IndicesHealthReport> {
  const cluster = deps.clusters.get(req.cluster);
  const [health, byIndex] = await Promise.all([
    cluster.health(),
    cluster.call(() => cluster.client.cluster.health({ level: 'indices' })),
  ]);
  const sick = Object.entries(byIndex.indices ?? {})
    .map(([index, h]) => ({ index, status: String(h.status).toLowerCase(), initializing: h.initializing_shards ?? 0 }))
    .filter((i): i is { index: string; status: 'red' | 'yellow'; initializing: number } =>
      ['red', 'yellow'].includes(i.status),
    );
  if (!sick.length) return { cluster: cluster.name, health, indices: [] };
  const names = new Set(sick.map((i) => i.index));
  const rows = await cluster.call(() =>
    cluster.client.cat.shards({
      ...(sick.length <= NAMED_INDICES_MAX ? { index: [...names] } : {}),
      format: 'json',
      h: ['index', 'shard', 'prirep', 'state', 'unassigned.reason'],
    }),
  );
  const report = new Map<string, UnhealthyIndex>(
    sick.map((i) => [
      i.index,
      { ...i, unassignedPrimaries: 0, unassignedReplicas: 0, reasons: {} } satisfies UnhealthyIndex,
    ]),
  );
  for (const r of rows) {
    const row = report.get(String(r.index ?? ''));
    if (!row || r.state !== 'UNASSIGNED') continue;
    const primary = r.prirep === 'p' || r.prirep === 'primary';
    if (primary) row.unassignedPrimaries++;
    else row.unassignedReplicas++;
    const reason = String(r['unassigned.reason'] ?? '') || 'UNKNOWN';
    row.reasons[reason] = (row.reasons[reason] ?? 0) + 1;
    const shard = Number(r.shard);
    if (!row.first || (primary && !row.first.primary) || (primary === row.first.primary && shard < row.first.shard))
      row.first = { shard, primary };
  }
  const indices = [...report.values()].sort(
    (a, b) =>
      Number(b.status === 'red') - Number(a.status === 'red') ||
      b.unassignedPrimaries + b.unassignedReplicas - (a.unassignedPrimaries + a.unassignedReplicas) ||
      a.index.localeCompare(b.index),
  );
  const top = indices.find((i) => i.first);
  let worst: ShardExplanation | undefined;
  if (top?.first) worst = await explainShard(cluster, { index: top.index, ...top.first }).catch(() => undefined);
  return { cluster: cluster.name, health, indices, ...(worst ? { worst } : {}) };
}
