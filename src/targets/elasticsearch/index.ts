export { ClusterReader, type ClusterStatus, type HealthSummary, type NodeRow, type Health } from './cluster-reader.js';
export { Clusters, UnknownClusterError } from './clusters.js';
export { requireSupportedVersion, versionProblem, UnsupportedVersionError, SUPPORTED_RANGE } from './es-version.js';
export { readClusterUuid } from './cluster-uuid.js';
export { ClusterError, describeClusterError } from './errors.js';
export {
  compareSettings,
  effectiveSetting,
  isAllocationSetting,
  type ClusterSettings,
  type FlatSettings,
  type SettingRow,
} from './settings.js';
export {
  allocationFilters,
  filterReasons,
  splitList,
  simpleMatch,
  type FilterKind,
  type FilterableNode,
} from './allocation-filters.js';
export {
  AllocationWriter,
  excludeKey,
  ENABLE_KEY,
  effectiveEnable,
  SettingOverriddenError,
  type AllocationEnable,
  type ExcludeAttribute,
  type ListChange,
} from './allocation-writer.js';
export {
  readDrainSnapshot,
  readNodeLoad,
  readActiveRecoveries,
  healthNoWorse,
  type DrainSnapshot,
  type Recovery,
  type NodeLoad,
} from './drain-progress.js';
export { explainStuckShard, type StuckShardExplanation } from './shard-explain.js';
export {
  explainShard,
  deciderWords,
  ShardNotFoundError,
  type ShardExplanation,
  type NodeVerdict,
} from './allocation-explain.js';
export { planDrain, watermarkCeiling, UnknownNodeError, type DrainPlan } from './drain-plan.js';
export { readNodePresence, type NodePresence } from './node-presence.js';
export {
  readShardCopies,
  lastCopiesOn,
  copiesOn,
  describeShards,
  type ShardCopyRow,
  type ShardRef,
} from './shard-copies.js';
export { judgeEmpty, judgeEmptyNodes, type EmptyVerdict } from './node-emptiness.js';
export { readAllocationFacts, readSettingsWithDefaults, type AllocationFacts } from './allocation-facts.js';
export { readIndexAllocations, indexAllocation, type IndexAllocation } from './index-allocation.js';
export {
  clusterAllocationConfig,
  effectiveValue,
  type ClusterAllocationConfig,
  type SettingsWithDefaults,
} from './cluster-allocation-settings.js';
export { parseByteSize, parseWatermarkValue, watermark, type Watermark } from './disk-watermarks.js';
export { copySplit, readCopySplit, readCopySplits, type CopySplit } from './drain-copy-split.js';
export {
  recoveryLimits,
  sameLimits,
  DEFAULT_RECOVERY_LIMITS,
  RATE_KEY,
  type RecoveryLimits,
} from './recovery-limits.js';
