import { filterReasons } from '../../targets/elasticsearch/index.js';
import { putIndexSetting, type Decider } from './decider.js';
import { NO_INDEX_SETTINGS, type PlacementContext, type PlanNode } from './placement-model.js';

/**
 * `index.routing.allocation.require|include|exclude.*` and the data tier preference: the nodes
 * one index may use, computed once per index (O(indices × nodes)), then a set lookup per move.
 */
export function indexNodes(index: string, ctx: PlacementContext): Set<PlanNode> {
  let allowed = ctx.indexNodes.get(index);
  if (allowed) return allowed;
  const settings = ctx.indices[index] ?? NO_INDEX_SETTINGS;
  const tier = preferredTier(settings.tierPreference, ctx.nodes);
  allowed = new Set(
    ctx.nodes.filter(
      (n) => filterReasons(n.row, settings.filters).length === 0 && (tier === undefined || hasTier(n, tier)),
    ),
  );
  ctx.indexNodes.set(index, allowed);
  return allowed;
}

const hasTier = (n: PlanNode, tier: string) => n.row.roles.includes('data') || n.row.roles.includes(tier);

/** DataTier's rule: the first tier of the preference that some node has (the generic data role has all). */
function preferredTier(preference: string[], nodes: PlanNode[]): string | undefined {
  if (!preference.length) return undefined;
  return preference.find((t) => nodes.some((n) => hasTier(n, t))) ?? preference[0];
}

export const indexFilterDecider: Decider = {
  name: 'filter',
  denies: (copy, node, ctx) => !indexNodes(copy.group.index, ctx).has(node),
  explain(copy, node, ctx) {
    const settings = ctx.indices[copy.group.index] ?? NO_INDEX_SETTINGS;
    const reasons = filterReasons(node.row, settings.filters);
    return reasons.length
      ? `index setting index.routing.allocation.${reasons.join(', ')}`
      : `not in the index's tier (_tier_preference ${settings.tierPreference.join(',')})`;
  },
  fix(copy, ctx) {
    const settings = ctx.indices[copy.group.index] ?? NO_INDEX_SETTINGS;
    const kinds = (['require', 'include', 'exclude'] as const).flatMap((k) =>
      Object.keys(settings.filters[k]).map((attr) => `index.routing.allocation.${k}.${attr}`),
    );
    if (!kinds.length)
      return `add a node with a role of ${settings.tierPreference.join(' or ')}, or ${putIndexSetting(
        copy.group.index,
        'index.routing.allocation.include._tier_preference',
        'data_content',
      )}`;
    return `widen or clear the index's filter: ${putIndexSetting(copy.group.index, kinds[0]!, null)}`;
  },
};
