import type { PlacementContext, PlanNode } from './placement-model.js';
import type { BlockedGroup } from './place-copies.js';

/** The precheck's verdict on a plan: what must move, where it can go, what cannot, what is tight. */
export interface Feasibility {
  /** Copies that must leave the nodes this plan empties, and their bytes. */
  moving: { copies: number; bytes: number; nodes: string[] };
  /** Nodes that may take copies after the change. */
  targets: number;
  /** Sum over the targets of their free bytes above the low watermark's reserve, before the moves. */
  roomUnderLowBytes: number;
  largest?: { shard: string; bytes: number; fitsOn: number };
  /** Copies of this plan that can go nowhere: the plan cannot complete. */
  blocked: BlockedGroup[];
  /** Copies already leaving nodes excluded before this plan that can go nowhere (not this plan's doing). */
  alreadyStuck: BlockedGroup[];
  /** Targets that would end above the low watermark (tight: see feasibilityWarnings). */
  tight: { node: string; usedPercent: number }[];
  fullest?: { node: string; usedPercent: number };
  low: string;
  high: string;
  ctx: PlacementContext;
}

export type { PlanNode };
