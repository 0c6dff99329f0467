import { splitList } from './allocation-filters.js';
import type { ClusterReader } from './cluster-reader.js';
import { readActiveRecoveries, readNodeNames } from './drain-progress.js';
import { copiesOn, describeShards, readShardCopies } from './shard-copies.js';

/** Whether a drained node may be stopped, judged fail-closed: any unknown is "not empty". */
export type EmptyVerdict = { empty: true } | { empty: false; reason: string };

/**
 * "node-3 is empty: safe to stop" only when every one of these holds, read now:
 * - the node is in the cluster's node list (a node that left is not empty: its copies are lost
 *   or unassigned, not moved);
 * - `_cat/shards` shows no copy on it, and no copy moving onto it;
 * - no active recovery has it as source or target;
 * - the exclusion entry that drains it is still in force (effective: a transient list wins over
 *   the persistent one), or shards may come back the moment it is stopped.
 * One `_cat/shards` call (O(shards)): made for the verdict only, never on every progress poll.
 */
export async function judgeEmpty(
  cluster: ClusterReader,
  node: string,
  exclusion: { key: string; value: string },
): Promise<EmptyVerdict> {
  const [verdict] = await judgeEmptyNodes(cluster, exclusion.key, [{ node, value: exclusion.value }]);
  return verdict!;
}

/**
 * judgeEmpty for several drained nodes at once, in their order, from one read of each source: a
 * drain of a set judges every node on the same `_cat/shards`, not one table read per node. The
 * shard table is not read when no node gets past the node list and the exclusion.
 */
export async function judgeEmptyNodes(
  cluster: ClusterReader,
  key: string,
  drained: readonly { node: string; value: string }[],
): Promise<EmptyVerdict[]> {
  const [settings, nodes] = await Promise.all([cluster.settings(), readNodeNames(cluster)]);
  const list = splitList(settings.transient[key] ?? settings.persistent[key]);
  const side = settings.transient[key] !== undefined ? 'transient' : 'persistent';
  const first = drained.map(({ node, value }): EmptyVerdict | undefined => {
    if (!nodes.has(node)) return { empty: false, reason: `${node} is not in the cluster's node list` };
    if (!list.includes(value))
      return {
        empty: false,
        reason:
          `${value} is no longer in the effective ${key} (${side}: ${list.join(',') || 'empty'}): ` +
          'shards may move back onto it',
      };
    return undefined;
  });
  if (first.every((v) => v !== undefined)) return first;
  const [copies, recoveries] = await Promise.all([readShardCopies(cluster), readActiveRecoveries(cluster)]);
  return drained.map(({ node }, i) => {
    if (first[i]) return first[i];
    const held = copiesOn(copies, node);
    if (held.length)
      return { empty: false, reason: `${held.length} shard copies are still on ${node} (${describeShards(held)})` };
    const moving = recoveries.filter((r) => r.source === node || r.target === node);
    if (moving.length)
      return { empty: false, reason: `${moving.length} recoveries still involve ${node} (${describeShards(moving)})` };
    return { empty: true };
  });
}
