import type { AllocationConfig } from './allocation-config.js';
import type { RoutingState } from './routing-state.js';
import type { IndexMeta, SimNode } from './types.js';

const BLOCK = 'index.blocks.read_only_allow_delete';

/**
 * ES's DiskThresholdMonitor, run on every cluster-info refresh (`cluster.info.update.interval`):
 * every index with a copy on a node over the flood-stage watermark gets
 * `index.blocks.read_only_allow_delete: true`; an index with that block and no copy on a node
 * over the high watermark has it removed again (auto-release, ES 7.4+). Costs O(nodes) plus the
 * copies of nodes over flood stage and of blocked indices.
 */
export function checkDiskThresholds(state: RoutingState, config: AllocationConfig): void {
  if (!config.diskEnabled) return;
  const overHigh = new Set<SimNode>();
  const toBlock = new Set<IndexMeta>();
  for (const node of state.nodes.values()) {
    if (!node.alive || !node.isData) continue;
    const free = node.diskTotal - state.liveBytes(node);
    if (free < config.high.requiredFree(node.diskTotal)) overHigh.add(node);
    if (free < config.floodStage.requiredFree(node.diskTotal)) {
      for (const copy of node.copies) toBlock.add(copy.group.index);
    }
  }
  for (const meta of toBlock) if (!meta.closed) meta.settings.set(BLOCK, 'true');
  for (const meta of state.indices.values()) {
    if (meta.settings.get(BLOCK) !== 'true' || toBlock.has(meta)) continue;
    const onHighNode = meta.groups.some((g) =>
      g.copies.some((c) => [c.nodeId, c.target?.nodeId].some((id) => id != null && overHigh.has(state.node(id)))),
    );
    if (!onHighNode) meta.settings.delete(BLOCK);
  }
}
