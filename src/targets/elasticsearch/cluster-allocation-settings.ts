import { allocationFilters, splitList, type FilterKind } from './allocation-filters.js';
import { watermark, type Watermark } from './disk-watermarks.js';
import type { ClusterSettings, FlatSettings } from './settings.js';

/** Cluster settings with ES's defaults (`include_defaults`): what the allocation deciders apply. */
export interface SettingsWithDefaults extends ClusterSettings {
  defaults: FlatSettings;
}

const A = 'cluster.routing.allocation.';

/** ES 8's defaults, for a cluster whose answer lacks them. */
const BUILT_IN: FlatSettings = {
  [`${A}disk.threshold_enabled`]: 'true',
  [`${A}disk.watermark.low`]: '85%',
  [`${A}disk.watermark.low.max_headroom`]: '200gb',
  [`${A}disk.watermark.high`]: '90%',
  [`${A}disk.watermark.high.max_headroom`]: '150gb',
  [`${A}same_shard.host`]: 'false',
  [`${A}total_shards_per_node`]: '-1',
  [`${A}awareness.attributes`]: '',
};

/** Transient over persistent over default. */
export function effectiveValue(s: SettingsWithDefaults, key: string): string | undefined {
  return s.transient[key] ?? s.persistent[key] ?? s.defaults[key] ?? BUILT_IN[key];
}

const isExplicit = (s: SettingsWithDefaults, key: string) =>
  s.transient[key] !== undefined || s.persistent[key] !== undefined;

/** The cluster-level inputs of the allocation deciders, parsed once per plan. */
export interface ClusterAllocationConfig {
  filters: Record<FilterKind, Record<string, string[]>>;
  awarenessAttributes: string[];
  /** `awareness.force.ATTR.values`: values counted even when no node has them. */
  forcedAwareness: Map<string, string[]>;
  sameShardHost: boolean;
  /** `cluster.routing.allocation.total_shards_per_node`; -1: no limit. */
  totalShardsPerNode: number;
  diskThresholdEnabled: boolean;
  low: Watermark;
  high: Watermark;
}

export function clusterAllocationConfig(s: SettingsWithDefaults): ClusterAllocationConfig {
  const forcedAwareness = new Map<string, string[]>();
  for (const key of new Set([...Object.keys(s.persistent), ...Object.keys(s.transient)])) {
    const m = /^cluster\.routing\.allocation\.awareness\.force\.(.+)\.values$/.exec(key);
    const values = m ? splitList(effectiveValue(s, key)) : [];
    if (m && values.length) forcedAwareness.set(m[1]!, values);
  }
  return {
    filters: allocationFilters(s),
    awarenessAttributes: splitList(effectiveValue(s, `${A}awareness.attributes`)),
    forcedAwareness,
    sameShardHost: effectiveValue(s, `${A}same_shard.host`) === 'true',
    totalShardsPerNode: Number(effectiveValue(s, `${A}total_shards_per_node`) ?? -1),
    diskThresholdEnabled: effectiveValue(s, `${A}disk.threshold_enabled`) !== 'false',
    low: diskWatermark(s, 'low'),
    high: diskWatermark(s, 'high'),
  };
}

function diskWatermark(s: SettingsWithDefaults, stage: 'low' | 'high'): Watermark {
  const key = `${A}disk.watermark.${stage}`;
  const headroomKey = `${key}.max_headroom`;
  // ES applies the headroom when it is set, or when the watermark is left at its default.
  const headroom = isExplicit(s, headroomKey) || !isExplicit(s, key) ? effectiveValue(s, headroomKey) : undefined;
  return watermark(key, effectiveValue(s, key)!, headroom);
}
