import type { ClusterReader } from './cluster-reader.js';

/** One copy of one shard, as `_cat/shards` lists it. */
export interface ShardCopyRow {
  index: string;
  shard: string;
  primary: boolean;
  /** STARTED, RELOCATING, INITIALIZING, UNASSIGNED. */
  state: string;
  /** The node holding it (for a relocating copy: its source), if any. */
  node?: string;
  /** For a relocating copy: the node it is moving to. */
  relocatingTo?: string;
  /** Bytes on disk (`store`); undefined for a copy with no data yet. */
  bytes?: number;
}

/** A shard group named for a person: `index[shard]`. */
export interface ShardRef {
  index: string;
  shard: string;
}

/**
 * Every shard copy of the cluster, one `_cat/shards` call: O(shards), so it is read for verdicts
 * (before a node stops, before "empty" is said), never on every progress poll.
 */
export async function readShardCopies(cluster: ClusterReader): Promise<ShardCopyRow[]> {
  const rows = await cluster.call(() =>
    cluster.client.cat.shards({
      format: 'json',
      bytes: 'b',
      h: ['index', 'shard', 'prirep', 'state', 'node', 'store'],
    }),
  );
  return rows.map((r) => {
    // A relocating copy reads "source -> target_ip target_id target_name".
    const [source, target] = String(r.node ?? '').split(' -> ');
    const relocatingTo = target?.trim().split(/\s+/).pop();
    return {
      index: String(r.index ?? ''),
      shard: String(r.shard ?? ''),
      primary: r.prirep === 'p' || r.prirep === 'primary',
      state: String(r.state ?? ''),
      ...(source?.trim() ? { node: source.trim() } : {}),
      ...(relocatingTo ? { relocatingTo } : {}),
      ...(r.store !== undefined && r.store !== null && r.store !== '' ? { bytes: Number(r.store) } : {}),
    };
  });
}

/** Copies that serve reads and writes now: STARTED, or RELOCATING (the source still serves until the move ends). */
const active = (c: ShardCopyRow) => c.state === 'STARTED' || c.state === 'RELOCATING';

/**
 * The shard groups that would have no active copy left if `nodes` went away: every active copy
 * of the group is on one of them (a `number_of_replicas: 0` index has one copy only). Stopping or
 * restarting those nodes takes these shards offline (red, writes fail; if a node never comes
 * back, its data is lost). A group with no active copy anywhere is already offline, not listed.
 * A copy relocating onto one of them counts as theirs: the move may end before they stop.
 */
export function lastCopiesOn(copies: readonly ShardCopyRow[], nodes: readonly string[]): ShardRef[] {
  const leaving = new Set(nodes);
  const groups = new Map<string, { ref: ShardRef; onLeaving: number; elsewhere: number }>();
  for (const c of copies) {
    if (!active(c)) continue;
    const key = `${c.index}\u0000${c.shard}`;
    const g = groups.get(key) ?? { ref: { index: c.index, shard: c.shard }, onLeaving: 0, elsewhere: 0 };
    // A copy moving onto a leaving node is one of its copies in a moment: when the move ends the
    // source is gone (a primary leaving a flooded disk for the node about to restart).
    const into = c.state === 'RELOCATING' && c.relocatingTo !== undefined && leaving.has(c.relocatingTo);
    if ((c.node !== undefined && leaving.has(c.node)) || into) g.onLeaving += 1;
    else g.elsewhere += 1;
    groups.set(key, g);
  }
  return [...groups.values()].filter((g) => g.onLeaving > 0 && g.elsewhere === 0).map((g) => g.ref);
}

/** Copies on `node`, as source or target of anything (a copy moving onto it counts: it is not empty). */
export function copiesOn(copies: readonly ShardCopyRow[], node: string): ShardCopyRow[] {
  return copies.filter((c) => c.node === node || c.relocatingTo === node);
}

/** `logs[0]`, `logs[3]` and 12 more: a short list a card can hold. */
export function describeShards(refs: readonly ShardRef[], max = 5): string {
  const shown = refs.slice(0, max).map((r) => `${r.index}[${r.shard}]`);
  return refs.length > max ? `${shown.join(', ')} and ${refs.length - max} more` : shown.join(', ');
}
