import type { ClusterSettings } from './cluster-settings.js';
import { NodeFilters } from './node-filters.js';
import { parseBytes, parseDuration } from './units.js';
import { splitCommaList } from './wildcard.js';

/**
 * The allocation settings parsed once per settings change, so that deciders, which run
 * thousands of times per reroute, read plain fields instead of parsing strings.
 */
export type AllocationEnable = 'all' | 'primaries' | 'new_primaries' | 'none';
export type RebalanceEnable = 'all' | 'primaries' | 'replicas' | 'none';

export interface Watermark {
  setting: string;
  raw: string;
  /** Free bytes required, as a function of the disk size. */
  requiredFree(total: number): number;
  /** DiskThresholdSettings.describe*Threshold(total, true). */
  describe(total: number): string;
}

export interface AllocationConfig {
  version: number;
  enable: AllocationEnable;
  rebalanceEnable: RebalanceEnable;
  allowRebalance: 'always' | 'indices_primaries_active' | 'indices_all_active';
  require: NodeFilters | null;
  include: NodeFilters | null;
  exclude: NodeFilters | null;
  incomingLimit: number;
  outgoingLimit: number;
  initialPrimariesLimit: number;
  clusterConcurrentRebalance: number;
  diskEnabled: boolean;
  low: Watermark;
  high: Watermark;
  floodStage: Watermark;
  /** cluster.info.update.interval: how often the disk monitor looks (flood-stage blocks). */
  infoIntervalMs: number;
  awarenessAttributes: string[];
  /** cluster.routing.allocation.same_shard.host */
  sameHost: boolean;
  /** cluster.routing.allocation.total_shards_per_node (-1: none) */
  clusterTotalShardsPerNode: number;
  forcedAwareness: Map<string, string[]>;
  /** indices.recovery.max_bytes_per_sec: per node, inbound and outbound each. */
  recoveryBytesPerSec: number;
}

const A = 'cluster.routing.allocation.';
export const DEFAULT_RECOVERY_BYTES_PER_SEC = 40 * 1024 * 1024;

export function buildAllocationConfig(settings: ClusterSettings, fallbackRecoveryRate: number): AllocationConfig {
  const text = (key: string): string => settings.effectiveText(key);
  const int = (key: string, fallbackKey?: string): number => {
    const own = settings.explicit(key);
    return Number(own !== undefined || !fallbackKey ? text(key) : text(fallbackKey));
  };
  const forced = new Map<string, string[]>();
  for (const [key, value] of settings.group(`${A}awareness.force.`)) {
    const attr = key.endsWith('.values') ? key.slice(0, -'.values'.length) : key;
    forced.set(attr, (Array.isArray(value) ? value : [value]).flatMap(splitCommaList));
  }
  const rateSetting = settings.explicit('indices.recovery.max_bytes_per_sec');
  const rate =
    rateSetting === undefined
      ? fallbackRecoveryRate
      : parseBytes(String(rateSetting), 'indices.recovery.max_bytes_per_sec');
  const awareness = settings.effective(`${A}awareness.attributes`) ?? [];
  return {
    version: settings.version,
    enable: text(`${A}enable`).toLowerCase() as AllocationEnable,
    rebalanceEnable: text('cluster.routing.rebalance.enable').toLowerCase() as RebalanceEnable,
    allowRebalance: text(`${A}allow_rebalance`).toLowerCase() as AllocationConfig['allowRebalance'],
    require: NodeFilters.build('AND', settings.group(`${A}require.`)),
    include: NodeFilters.build('OR', settings.group(`${A}include.`)),
    exclude: NodeFilters.build('OR', settings.group(`${A}exclude.`)),
    incomingLimit: int(`${A}node_concurrent_incoming_recoveries`, `${A}node_concurrent_recoveries`),
    outgoingLimit: int(`${A}node_concurrent_outgoing_recoveries`, `${A}node_concurrent_recoveries`),
    initialPrimariesLimit: int(`${A}node_initial_primaries_recoveries`),
    clusterConcurrentRebalance: int(`${A}cluster_concurrent_rebalance`),
    diskEnabled: text(`${A}disk.threshold_enabled`) === 'true',
    low: watermark(settings, 'low'),
    high: watermark(settings, 'high'),
    floodStage: watermark(settings, 'flood_stage'),
    infoIntervalMs: parseDuration(text('cluster.info.update.interval'), 'cluster.info.update.interval'),
    awarenessAttributes: (Array.isArray(awareness) ? awareness : [awareness]).flatMap(splitCommaList),
    forcedAwareness: forced,
    sameHost: text(`${A}same_shard.host`) === 'true',
    clusterTotalShardsPerNode: int(`${A}total_shards_per_node`),
    recoveryBytesPerSec: rate <= 0 ? Number.POSITIVE_INFINITY : rate,
  };
}

/**
 * RelativeByteSizeValue plus max_headroom: a percentage caps the required free space at the
 * headroom, which applies when set explicitly or when the watermark itself is left at default.
 */
function watermark(settings: ClusterSettings, stage: 'low' | 'high' | 'flood_stage'): Watermark {
  const setting = `${A}disk.watermark.${stage}`;
  const headroomSetting = `${setting}.max_headroom`;
  const raw = settings.effectiveText(setting).trim();
  const usedPercent = raw.endsWith('%')
    ? Number(raw.slice(0, -1))
    : /^\d+(\.\d+)?$/.test(raw)
      ? Number(raw) * 100
      : null;
  if (usedPercent === null) {
    const free = parseBytes(raw, setting);
    return { setting, raw, requiredFree: () => free, describe: () => `${setting}=${raw}` };
  }
  const headroomApplies = settings.explicit(headroomSetting) !== undefined || settings.explicit(setting) === undefined;
  const headroomRaw = settings.effectiveText(headroomSetting);
  const headroom = headroomApplies ? parseBytes(headroomRaw, headroomSetting) : -1;
  const byPercent = (total: number): number => Math.ceil((total * (100 - usedPercent)) / 100);
  const requiredFree = (total: number): number =>
    headroom >= 0 ? Math.min(byPercent(total), headroom) : byPercent(total);
  return {
    setting,
    raw,
    requiredFree,
    describe: (total) =>
      requiredFree(total) === byPercent(total) ? `${setting}=${raw}` : `${headroomSetting}=${headroomRaw}`,
  };
}
