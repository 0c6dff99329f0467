import {
  explainShard,
  readShardCopies,
  UnknownNodeError,
  type Clusters,
  type ShardExplanation,
} from '../targets/elasticsearch/index.js';

/** One index's copies on a node: how many primaries and replicas, their bytes, any not STARTED. */
export interface NodeIndexShards {
  index: string;
  primaries: number;
  replicas: number;
  bytes: number;
  /** Shard numbers of the primaries here, ascending. */
  primaryShards: number[];
  /** Copies moving or starting: "2 RELOCATING", "1 INITIALIZING". */
  notStarted: Record<string, number>;
}

export interface NodeShardsReport {
  cluster: string;
  node: string;
  copies: number;
  primaries: number;
  bytes: number;
  /** Largest first. */
  indices: NodeIndexShards[];
}

/**
 * `/es shards NODE`: the copies on one node, by index. One `_cat/shards` call with only the six
 * columns it needs (ES has no per-node filter for it), plus the node list to name an unknown node.
 */
export async function readNodeShards(
  req: { node: string; cluster?: string | undefined },
  deps: { clusters: Clusters },
): Promise<NodeShardsReport> {
  const cluster = deps.clusters.get(req.cluster);
  const [{ nodes }, copies] = await Promise.all([cluster.nodes(), readShardCopies(cluster)]);
  if (!nodes.some((n) => n.name === req.node))
    throw new UnknownNodeError(
      req.node,
      nodes.map((n) => n.name).sort(),
      'Check the name with /es status, then ask again.',
    );
  const byIndex = new Map<string, NodeIndexShards>();
  for (const c of copies) {
    // A copy relocating away is still on the node until the move ends; one arriving is counted on its target.
    if (c.node !== req.node && c.relocatingTo !== req.node) continue;
    const row = byIndex.get(c.index) ?? {
      index: c.index,
      primaries: 0,
      replicas: 0,
      bytes: 0,
      primaryShards: [],
      notStarted: {},
    };
    if (c.primary) {
      row.primaries++;
      row.primaryShards.push(Number(c.shard));
    } else row.replicas++;
    row.bytes += c.node === req.node ? (c.bytes ?? 0) : 0;
    const state = c.node === req.node ? c.state : 'INCOMING';
    if (state !== 'STARTED') row.notStarted[state] = (row.notStarted[state] ?? 0) + 1;
    byIndex.set(c.index, row);
  }
  const indices = [...byIndex.values()].sort((a, b) => b.bytes - a.bytes || a.index.localeCompare(b.index));
  for (const r of indices) r.primaryShards.sort((a, b) => a - b);
  return {
    cluster: cluster.name,
    node: req.node,
    copies: indices.reduce((n, r) => n + r.primaries + r.replicas, 0),
    primaries: indices.reduce((n, r) => n + r.primaries, 0),
    bytes: indices.reduce((n, r) => n + r.bytes, 0),
    indices,
  };
}

/** `/es explain INDEX SHARD [--primary]`: ES's allocation explanation of one copy, in words. */
export async function readShardExplain(
  req: { index: string; shard: number; primary: boolean; cluster?: string | undefined },
  deps: { clusters: Clusters },
): Promise<{ cluster: string; explanation: ShardExplanation }> {
  const cluster = deps.clusters.get(req.cluster);
  return { cluster: cluster.name, explanation: await explainShard(cluster, req) };
}
