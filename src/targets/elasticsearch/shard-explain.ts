import type { ClusterReader } from './cluster-reader.js';

export interface StuckShardExplanation {
  index: string;
  shard: number;
  primary: boolean;
  summary: string;
  deciders: string[];
}

interface Decider {
  decider?: string;
  decision?: string;
  explanation?: string;
}
interface NodeDecision {
  node_name?: string;
  node_decision?: string;
  deciders?: Decider[];
}

/**
 * Why a shard is still on `node`: finds one of its shards (listing shards is O(shards), so only on
 * a stall) and asks _cluster/allocation/explain. The summary is ES's own move explanation; the
 * decider lines say which rule blocked which target (disk, same shard, filter, enable, throttling).
 */
export async function explainStuckShard(
  cluster: ClusterReader,
  node: string,
): Promise<StuckShardExplanation | undefined> {
  const shards = await cluster.call(() =>
    cluster.client.cat.shards({ format: 'json', h: ['index', 'shard', 'prirep', 'state', 'node'] }),
  );
  const stuck = shards.find((s) => s.node === node && s.state === 'STARTED') ?? shards.find((s) => s.node === node);
  if (!stuck?.index || stuck.shard === undefined) return undefined;
  const primary = stuck.prirep === 'p' || stuck.prirep === 'primary';
  const shard = Number(stuck.shard);
  const ex = (await cluster.call(() =>
    cluster.client.cluster.allocationExplain({ index: stuck.index!, shard, primary }),
  )) as unknown as {
    move_explanation?: string;
    allocate_explanation?: string;
    can_move_to_other_node?: string;
    node_allocation_decisions?: NodeDecision[];
  };
  const deciders: string[] = [];
  for (const d of ex.node_allocation_decisions ?? []) {
    const no = (d.deciders ?? []).filter((x) => x.decision === 'NO' || x.decision === 'THROTTLE');
    for (const x of no.slice(0, 1)) deciders.push(`${d.node_name}: [${x.decider}] ${x.explanation ?? x.decision}`);
    if (deciders.length >= 5) break;
  }
  const summary =
    ex.move_explanation ?? ex.allocate_explanation ?? `can move: ${ex.can_move_to_other_node ?? 'unknown'}`;
  return { index: stuck.index, shard, primary, summary, deciders };
}
