import { formatBytes } from '../../format.js';
import { shardName, type Decider } from './decider.js';
import { highFree } from './disk-decider.js';
import type { Feasibility } from './feasibility.js';
import type { BlockedGroup } from './place-copies.js';
import type { PlacementContext, PlanNode } from './placement-model.js';

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/**
 * One blocked index for a person: how many copies, an example shard, why each candidate node said
 * no (nodes grouped by decider), and the command that would lift it.
 */
export function blockedText(g: BlockedGroup, ctx: PlacementContext): string {
  const ex = g.example;
  const from = [...g.from].sort().join(', ');
  const head =
    `${g.index}: ${plural(g.copies, 'shard copy', 'shard copies')} (${formatBytes(g.bytes)}) cannot leave ${from}, ` +
    `e.g. ${shardName(ex)} (${ex.primary ? 'primary' : 'replica'}, ${formatBytes(ex.group.bytes)})`;
  if (!g.denials.length) return `${head}: no other data node may take shards; fix: include a node first`;
  const noRoom = fitsNowhere(g, ctx);
  // Nodes that said no for the same reason in the same words are named together.
  const byReason = new Map<string, { decider: Decider; nodes: PlanNode[] }>();
  for (const { node, decider } of g.denials) {
    const text = `${decider.name}, ${decider.explain(ex, node, ctx)}`;
    const entry = byReason.get(text) ?? { decider, nodes: [] };
    entry.nodes.push(node);
    byReason.set(text, entry);
  }
  const named = (d: Decider, n: PlanNode) => (d.nodeDetail ? `${n.name} (${d.nodeDetail(n, ctx)})` : n.name);
  const reasons = [...byReason].map(
    ([text, { decider, nodes }]) => `${nodes.map((n) => named(decider, n)).join(', ')}: ${text}`,
  );
  const why =
    reasons.length > 5 ? `${reasons.slice(0, 5).join('; ')}; and ${reasons.length - 5} more` : reasons.join('; ');
  const fixes = [...new Set([...byReason.values()].map((r) => r.decider))].slice(0, 2).map((d) => d.fix(ex, ctx));
  return `${head}${noRoom ?? ''}: ${why}; fix: ${fixes.join('; or ')}`;
}

/** When only disk said no and the copy is larger than any target's room under the high watermark. */
function fitsNowhere(g: BlockedGroup, ctx: PlacementContext): string | undefined {
  if (![...g.deciders].every((d) => d.name === 'disk_threshold')) return undefined;
  const room = g.denials.map(({ node }) => ({ node, room: node.freeBefore - highFree(node, ctx) }));
  const most = room.sort((a, b) => b.room - a.room)[0]!;
  if (g.example.group.bytes <= most.room) return undefined;
  return (
    ` and fits on no node: the most room under the high watermark is ` +
    `${formatBytes(Math.max(0, most.room))} (${most.node.name})`
  );
}

/** The refusal's reasons: at most `max` blocked indices (most copies first), then how many more. */
export function blockerReasons(f: Feasibility, max = 4): string[] {
  const groups = [...f.blocked].sort((a, b) => b.copies - a.copies);
  const out: string[] = [];
  if (groups.some((g) => [...g.deciders].some((d) => d.name === 'disk_threshold')))
    out.push(
      `${formatBytes(f.moving.bytes)} in ${plural(f.moving.copies, 'copy', 'copies')} must leave ` +
        `${f.moving.nodes.join(', ')}, and the ${plural(f.targets, 'node', 'nodes')} that may take them have ` +
        `${formatBytes(f.roomUnderLowBytes)} free under the low watermark ${f.low} ` +
        '(ES sends nothing to a node above it)',
    );
  out.push(...groups.slice(0, max).map((g) => blockedText(g, f.ctx)));
  if (groups.length > max) {
    const rest = groups.slice(max);
    const copies = rest.reduce((s, g) => s + g.copies, 0);
    const indices = plural(new Set(rest.map((g) => g.index)).size, 'index', 'indices');
    out.push(`and ${plural(copies, 'more copy', 'more copies')} of ${indices} that can go nowhere`);
  }
  return out;
}
