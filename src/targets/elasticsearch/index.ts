export { ClusterReader, type ClusterStatus, type HealthSummary, type NodeRow, type Health } from './cluster-reader.js';
export { Clusters, UnknownClusterError } from './clusters.js';
export { ClusterError, describeClusterError } from './errors.js';
export { compareSettings, effectiveSetting, isAllocationSetting, type ClusterSettings, type FlatSettings, type SettingRow } from './settings.js';
export { allocationFilters, filterReasons, splitList, simpleMatch } from './allocation-filters.js';
