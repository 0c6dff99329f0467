import type { ClusterReader } from './cluster-reader.js';
import { readShardCopies, type ShardCopyRow } from './shard-copies.js';

/**
 * Who sends the bytes still on a drained node. ES rebuilds every copy from its primary: the
 * node's own primaries leave through the node's single outbound throttle, its replicas are
 * rebuilt by the nodes holding their primaries, many in parallel.
 */
export interface CopySplit {
  primaryBytes: number;
  primaries: number;
  replicaBytes: number;
  replicas: number;
  /** Distinct other nodes holding the primaries of the node's replicas: the replicas' senders. */
  replicaSenders: number;
  /** Other nodes holding data, which can receive copies. */
  receivers: number;
}

/**
 * The split from the shard table (pure; a copy relocating away still counts on its source).
 * `leaving`: the nodes drained together with `node` (itself included), which receive nothing.
 */
export function copySplit(
  copies: readonly ShardCopyRow[],
  node: string,
  leaving: ReadonlySet<string> = new Set([node]),
): CopySplit {
  const split: CopySplit = {
    primaryBytes: 0,
    primaries: 0,
    replicaBytes: 0,
    replicas: 0,
    replicaSenders: 0,
    receivers: 0,
  };
  const primaryNode = new Map<string, string>();
  const others = new Set<string>();
  for (const c of copies) {
    if (c.node === undefined) continue;
    if (!leaving.has(c.node)) others.add(c.node);
    if (c.primary) primaryNode.set(`${c.index}\u0000${c.shard}`, c.node);
  }
  const senders = new Set<string>();
  for (const c of copies) {
    if (c.node !== node || (c.state !== 'STARTED' && c.state !== 'RELOCATING')) continue;
    const bytes = c.bytes ?? 0;
    if (c.primary) {
      split.primaryBytes += bytes;
      split.primaries += 1;
      continue;
    }
    split.replicaBytes += bytes;
    split.replicas += 1;
    const from = primaryNode.get(`${c.index}\u0000${c.shard}`);
    if (from !== undefined && from !== node) senders.add(from);
  }
  split.replicaSenders = senders.size;
  split.receivers = others.size;
  return split;
}

/**
 * One `_cat/shards` read (O(shards)): done once when a drain's wait begins and again only when
 * the recovery settings change, never on every progress poll.
 */
export async function readCopySplit(cluster: ClusterReader, node: string): Promise<CopySplit> {
  return copySplit(await readShardCopies(cluster), node);
}

/**
 * The split of each node of a drain of several, from one `_cat/shards` read. The nodes drain at
 * once and share the rest of the cluster: every other node receives for all of them, and a node
 * holding primaries of several drained nodes' replicas sends for all of them. Each node's split
 * counts its share of both (the node's receivers and replica senders divided by the number of
 * drained nodes, at least one), so that a per-node forecast does not promise the whole cluster
 * to each.
 */
export async function readCopySplits(
  cluster: ClusterReader,
  nodes: readonly string[],
): Promise<Record<string, CopySplit>> {
  const copies = await readShardCopies(cluster);
  const leaving = new Set(nodes);
  const share = (n: number) => (n > 0 ? Math.max(1, n / nodes.length) : 0);
  return Object.fromEntries(
    nodes.map((node) => {
      const split = copySplit(copies, node, leaving);
      return [node, { ...split, receivers: share(split.receivers), replicaSenders: share(split.replicaSenders) }];
    }),
  );
}
