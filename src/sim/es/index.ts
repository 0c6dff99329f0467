/**
 * Elasticsearch 8 cluster simulator: a routing table that moves shards over simulated time under
 * ES's allocation deciders, served over HTTP in ES's own shapes for the official client.
 */
export type {
  SimNodeSpec,
  SimIndexSpec,
  HealthSummary,
  SimNode,
  ShardCopy,
  Recovery,
  IndexMeta,
  Decision,
} from './types.js';
export { SimCluster, DEFAULT_ROLES, DEFAULT_RESTART_DELAY_MS, type SimClusterOptions } from './sim-cluster.js';
export { generateCluster, type GenerateClusterOptions } from './generate-cluster.js';
export { startEsSimulator, type EsSimulator, type EsSimulatorOptions } from './http/server.js';
export type { FaultSpec, FaultMode } from './http/faults.js';
export { SettingsError } from './cluster-settings.js';
export { EsError } from './es-error.js';
