import type { MovingCopy, PlacementContext, PlanNode } from './placement-model.js';

/**
 * One of ES's allocation deciders, as the precheck applies it to a planned move: `denies` is the
 * hot path (no strings), `explain` says why for a person, `fix` is the command that would lift it.
 */
export interface Decider {
  /** ES's decider name, e.g. "same_shard". */
  name: string;
  denies(copy: MovingCopy, node: PlanNode, ctx: PlacementContext): boolean;
  explain(copy: MovingCopy, node: PlanNode, ctx: PlacementContext): string;
  /** The figures of one node (e.g. its disk use), shown next to its name; the explanation is shared. */
  nodeDetail?(node: PlanNode, ctx: PlacementContext): string;
  fix(copy: MovingCopy, ctx: PlacementContext): string;
}

/** `index[shard]`, as people name a shard group. */
export const shardName = (copy: MovingCopy) => `${copy.group.index}[${copy.group.shard}]`;

/** A PUT of one setting, as the operator would send it. */
export const putIndexSetting = (index: string, key: string, value: string | number | null) =>
  `PUT /${index}/_settings {"${key}": ${JSON.stringify(value)}}`;
export const putClusterSetting = (key: string, value: string | number | boolean | null) =>
  `PUT _cluster/settings {"persistent": {"${key}": ${JSON.stringify(value)}}}`;
