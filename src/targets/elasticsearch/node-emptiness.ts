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
  const [settings, nodes] = await Promise.all([cluster.settings(), readNodeNames(cluster)]);
  if (!nodes.has(node)) {
    return { empty: false, reason: `${node} is not in the cluster's node list` };
  }
  const list = splitList(settings.transient[exclusion.key] ?? settings.persistent[exclusion.key]);
  if (!list.includes(exclusion.value)) {
    const side = settings.transient[exclusion.key] !== undefined ? 'transient' : 'persistent';
    return {
      empty: false,
      reason:
        `${exclusion.value} is no longer in the effective ${exclusion.key} (${side}: ${list.join(',') || 'empty'}): ` +
        'shards may move back onto it',
    };
  }
  const [copies, recoveries] = await Promise.all([readShardCopies(cluster), readActiveRecoveries(cluster)]);
  const held = copiesOn(copies, node);
  if (held.length)
    return { empty: false, reason: `${held.length} shard copies are still on ${node} (${describeShards(held)})` };
  const moving = recoveries.filter((r) => r.source === node || r.target === node);
  if (moving.length) {
    return { empty: false, reason: `${moving.length} recoveries still involve ${node} (${describeShards(moving)})` };
  }
  return { empty: true };
}
