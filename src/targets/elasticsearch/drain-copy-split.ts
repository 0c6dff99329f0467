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

/** The split from the shard table (pure; a copy relocating away still counts on its source). */
export function copySplit(copies: readonly ShardCopyRow[], node: string): CopySplit {
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
    if (c.node !== node) others.add(c.node);
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
