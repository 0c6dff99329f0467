import type { AllocationFacts, IndexAllocation, NodeRow, ShardCopyRow } from '../../src/targets/elasticsearch/index.js';

export const GB = 1024 ** 3;

/** A node of `diskGb` with `usedGb` used (shard bytes or not), in `zone`. */
export function node(
  name: string,
  zone: string,
  diskGb: number,
  usedGb: number,
  extra: Partial<NodeRow> = {},
): NodeRow {
  const n = Number(name.replace(/\D/g, '')) || 0;
  return {
    id: `id-${name}`,
    name,
    ip: `10.0.0.${n}`,
    host: `10.0.0.${n}`,
    attributes: { zone },
    zone,
    roles: ['data', 'master'],
    shards: 0,
    diskTotalBytes: diskGb * GB,
    diskUsedBytes: usedGb * GB,
    diskAvailBytes: (diskGb - usedGb) * GB,
    excludedBy: [],
    ...extra,
  };
}

export function index(replicas: number, extra: Partial<IndexAllocation> = {}): IndexAllocation {
  return {
    replicas,
    filters: { require: {}, include: {}, exclude: {} },
    totalShardsPerNode: -1,
    tierPreference: [],
    ...extra,
  };
}

/** Copies of `name`: `placement[shard]` lists the nodes of its copies, the first one the primary. */
export function copiesOf(name: string, gbPerShard: number, placement: string[][]): ShardCopyRow[] {
  return placement.flatMap((nodes, shard) =>
    nodes.map((n, i) => ({
      index: name,
      shard: String(shard),
      primary: i === 0,
      state: 'STARTED',
      node: n,
      bytes: gbPerShard * GB,
    })),
  );
}

export function facts(
  nodes: NodeRow[],
  indices: Record<string, IndexAllocation>,
  copies: ShardCopyRow[],
  persistent: Record<string, string> = {},
  transient: Record<string, string> = {},
): AllocationFacts {
  const counts = new Map<string, number>();
  for (const c of copies) counts.set(c.node!, (counts.get(c.node!) ?? 0) + 1);
  return {
    nodes: nodes.map((n) => ({ ...n, shards: counts.get(n.name) ?? 0 })),
    copies,
    indices,
    settings: { persistent, transient, defaults: {} },
  };
}

export const EXCLUDE_IP = 'cluster.routing.allocation.exclude._ip';
export const EXCLUDE_ZONE = 'cluster.routing.allocation.exclude.zone';
