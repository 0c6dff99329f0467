import {
  filterReasons,
  type AllocationFacts,
  type ClusterAllocationConfig,
  type IndexAllocation,
  type NodeRow,
} from '../../targets/elasticsearch/index.js';

/** A data node as the placement sees it: its free bytes and counts change as copies are planned onto it. */
export interface PlanNode {
  row: NodeRow;
  name: string;
  total: number;
  /** Free bytes now, minus what the plan has put on it so far. */
  free: number;
  /** Free bytes before the plan. */
  freeBefore: number;
  shards: number;
  perIndex: Map<string, number>;
  /** The cluster filters (after the change) keep shards off it. */
  excluded: boolean;
  /** Its copies must go elsewhere (excluded, or restarting above the low watermark). */
  leaving: boolean;
  /** Received copies in this plan. */
  received: number;
}

/** A shard group: where its copies are (or are planned to be), and how many copies it has. */
export interface PlanGroup {
  index: string;
  shard: string;
  /** Bytes of one copy: the largest store of the group (a recovering copy is partial). */
  bytes: number;
  /** number_of_replicas + 1: what the awareness decider divides. */
  copies: number;
  nodes: PlanNode[];
}

/** A copy that must leave `from`. */
export interface MovingCopy {
  group: PlanGroup;
  primary: boolean;
  from: PlanNode;
}

export interface PlacementContext {
  config: ClusterAllocationConfig;
  nodes: PlanNode[];
  byName: Map<string, PlanNode>;
  indices: Record<string, IndexAllocation>;
  /** Awareness attribute → how many values it has (nodes' values and forced ones). */
  awarenessValues: Map<string, number>;
  /** Index → the data nodes its own filters and tier preference allow (filled on first use). */
  indexNodes: Map<string, Set<PlanNode>>;
}

export const NO_INDEX_SETTINGS: IndexAllocation = {
  replicas: 1,
  filters: { require: {}, include: {}, exclude: {} },
  totalShardsPerNode: -1,
  tierPreference: [],
};

export function isDataNode(n: NodeRow): boolean {
  return n.roles.length === 0 || n.roles.some((r) => r === 'data' || r.startsWith('data_'));
}

/** Active copies and where they are (a relocating copy counts at its target, where it will be). */
const located = (state: string) => state === 'STARTED' || state === 'RELOCATING' || state === 'INITIALIZING';

/**
 * The placement's starting point from the facts: data nodes with their disk and counts, groups
 * with their copies' nodes, and the copies on the nodes that must give them up (by default the
 * nodes the config, after the change, excludes).
 */
export function buildPlacement(
  facts: AllocationFacts,
  config: ClusterAllocationConfig,
  leaving: (n: PlanNode) => boolean = (n) => n.excluded,
): { ctx: PlacementContext; leavingCopies: MovingCopy[] } {
  const nodes: PlanNode[] = facts.nodes.filter(isDataNode).map((row) => {
    const total = row.diskTotalBytes ?? 0;
    const free = row.diskAvailBytes ?? total - (row.diskUsedBytes ?? total);
    const node: PlanNode = {
      row,
      name: row.name,
      total,
      free,
      freeBefore: free,
      shards: 0,
      perIndex: new Map(),
      excluded: filterReasons(row, config.filters).length > 0,
      leaving: false,
      received: 0,
    };
    node.leaving = leaving(node);
    return node;
  });
  const byName = new Map(nodes.map((n) => [n.name, n]));
  const groups = new Map<string, PlanGroup>();
  const leavingCopies: MovingCopy[] = [];
  for (const c of facts.copies) {
    const key = `${c.index}\u0000${c.shard}`;
    let g = groups.get(key);
    if (!g) {
      const copies = (facts.indices[c.index]?.replicas ?? NO_INDEX_SETTINGS.replicas) + 1;
      g = { index: c.index, shard: c.shard, bytes: 0, copies, nodes: [] };
      groups.set(key, g);
    }
    g.bytes = Math.max(g.bytes, c.bytes ?? 0);
    if (!located(c.state)) continue;
    const at = byName.get(c.relocatingTo ?? c.node ?? '');
    if (!at) continue;
    at.shards += 1;
    at.perIndex.set(c.index, (at.perIndex.get(c.index) ?? 0) + 1);
    if (at.leaving) leavingCopies.push({ group: g, primary: c.primary, from: at });
    else g.nodes.push(at);
  }
  const awarenessValues = new Map<string, number>();
  for (const attr of config.awarenessAttributes) {
    const values = new Set(config.forcedAwareness.get(attr) ?? []);
    for (const n of nodes) if (n.row.attributes[attr] !== undefined) values.add(n.row.attributes[attr]);
    awarenessValues.set(attr, values.size);
  }
  const ctx = { config, nodes, byName, indices: facts.indices, awarenessValues, indexNodes: new Map() };
  return { ctx, leavingCopies };
}
