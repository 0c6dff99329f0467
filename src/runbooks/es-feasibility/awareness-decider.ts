import { putClusterSetting, putIndexSetting, type Decider } from './decider.js';
import type { MovingCopy, PlacementContext, PlanNode } from './placement-model.js';

/**
 * ES's awareness decider: with `awareness.attributes: zone`, a shard of N copies may put at most
 * ceil(N / values) copies on nodes of one zone, where values counts every zone a node has (an
 * excluded zone still counts) and the forced ones (`awareness.force.zone.values`).
 */
export const awarenessDecider: Decider = {
  name: 'awareness',
  denies: (copy, node, ctx) => firstBreach(copy, node, ctx) !== undefined,
  explain(copy, node, ctx) {
    const b = firstBreach(copy, node, ctx)!;
    if (b.value === undefined) return `the node has no ${b.attr} attribute (awareness.attributes=${b.attr})`;
    return (
      `${copy.group.copies} copies over ${b.values} values of ${b.attr} allow at most ${b.max} in ${b.attr} ` +
      `${b.value}, this would be the ${ordinal(b.count)}`
    );
  },
  fix(copy, ctx) {
    const attr = ctx.config.awarenessAttributes[0]!;
    const forced = ctx.config.forcedAwareness.has(attr);
    const lift = forced
      ? putClusterSetting(`cluster.routing.allocation.awareness.force.${attr}.values`, null)
      : putClusterSetting('cluster.routing.allocation.awareness.attributes', null);
    return (
      `keep a ${attr} that can take the copy, lower the replicas ` +
      `(${putIndexSetting(copy.group.index, 'index.number_of_replicas', Math.max(0, copy.group.copies - 2))}), ` +
      `or lift the awareness rule: ${lift}`
    );
  },
};

interface Breach {
  attr: string;
  value: string | undefined;
  values: number;
  max: number;
  count: number;
}

function firstBreach(copy: MovingCopy, node: PlanNode, ctx: PlacementContext): Breach | undefined {
  for (const attr of ctx.config.awarenessAttributes) {
    const value = node.row.attributes[attr];
    const values = ctx.awarenessValues.get(attr) ?? 1;
    const max = Math.ceil(copy.group.copies / values);
    if (value === undefined) return { attr, value, values, max, count: 0 };
    let count = 1;
    for (const n of copy.group.nodes) if (n.row.attributes[attr] === value) count++;
    if (count > max) return { attr, value, values, max, count };
  }
  return undefined;
}

const ordinal = (n: number) => `${n}${n === 1 ? 'st' : n === 2 ? 'nd' : n === 3 ? 'rd' : 'th'}`;
