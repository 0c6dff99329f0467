import { formatBytes } from '../../format.js';
import type { Decider } from './decider.js';
import type { MovingCopy, PlacementContext, PlanNode } from './placement-model.js';

/**
 * ES's disk_threshold for a move: the target must be under the LOW watermark (ES sends nothing
 * to a node above it), and the copy must not take it past the HIGH one.
 */
export const diskDecider: Decider = {
  name: 'disk_threshold',
  denies: (copy, node, ctx) => aboveLow(node, ctx) || pastHigh(copy, node, ctx),
  explain(copy, node, ctx) {
    const { low, high } = ctx.config;
    if (aboveLow(node, ctx))
      return (
        `${aboveLowNow(node, ctx) ? '' : 'after the copies planned before this one, '}` +
        `above the low watermark ${low.describe()}`
      );
    return `the copy (${formatBytes(copy.group.bytes)}) would take it past the high watermark ${high.describe()}`;
  },
  nodeDetail: (node) => `${usedPercent(node, node.free)}% used, ${formatBytes(node.free)} free`,
  fix: () =>
    'add a data node or free disk on the others (delete old indices: DELETE /INDEX); ' +
    'raising cluster.routing.allocation.disk.watermark.low lets ES fill them further',
};

export const lowFree = (node: PlanNode, ctx: PlacementContext) => ctx.config.low.requiredFree(node.total);
export const highFree = (node: PlanNode, ctx: PlacementContext) => ctx.config.high.requiredFree(node.total);

const aboveLow = (node: PlanNode, ctx: PlacementContext) =>
  ctx.config.diskThresholdEnabled && node.free < lowFree(node, ctx);
const aboveLowNow = (node: PlanNode, ctx: PlacementContext) => node.freeBefore < lowFree(node, ctx);
const pastHigh = (copy: MovingCopy, node: PlanNode, ctx: PlacementContext) =>
  ctx.config.diskThresholdEnabled && node.free - copy.group.bytes < highFree(node, ctx);

/** Used share of the disk with `free` bytes free, in whole percent. */
export const usedPercent = (node: PlanNode, free: number) =>
  node.total ? Math.round(100 - (100 * free) / node.total) : 100;
