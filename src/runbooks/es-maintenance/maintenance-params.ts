import { runbookRef } from '../../engine/index.js';
import type { AllocationEnable, Health } from '../../targets/elasticsearch/index.js';
import type { DrainParams } from '../es-drain/drain-params.js';
import type { FeasibilityNote } from '../es-feasibility/index.js';
import type { NodeRef } from './node-ref.js';

/** Parameters shared by the cluster-maintenance runbooks. */
export interface MaintenanceParams {
  cluster: string;
  nodes: NodeRef[];
  /** Health when the run was requested: waits end when health is no worse. */
  baselineHealth: Health;
  /** Unassigned copies when the run was requested: between nodes, waits end when there are no more. */
  baselineUnassigned?: number;
  /** The persistent `cluster.routing.allocation.enable` the plan found (undefined: unset): restored at the end. */
  enableBefore?: string;
  /** The persistent exclude.zone list the plan found: a zone already in it is not this run's to remove. */
  zonesExcludedBefore?: string[];
  /** The per-shard precheck: what moves, where it can go, what is tight. */
  feasibility?: FeasibilityNote;
}

export interface RollingRestartParams extends MaintenanceParams {
  zone?: string;
}

export interface MaintainParams extends MaintenanceParams, DrainParams {
  change?: string;
  excludeSpot?: boolean;
}

export interface AllocationParams extends MaintenanceParams {
  enable: AllocationEnable;
}

export interface ZoneParams extends MaintenanceParams {
  zone: string;
}

/** "Fixing Cluster": `/es bounce NODE...`. */
export const bounce = runbookRef<MaintenanceParams>('es.bounce');
/** `/es rolling-restart [--zone Z]`. */
export const rollingRestart = runbookRef<RollingRestartParams>('es.rolling-restart');
/** "Changing Cluster Config", the whole procedure for one node: `/es maintain NODE`. */
export const maintain = runbookRef<MaintainParams>('es.maintain');
/** `/es allocation none|primaries|new_primaries|all`. */
export const allocation = runbookRef<AllocationParams>('es.allocation');
export const excludeZoneRun = runbookRef<ZoneParams>('es.exclude-zone');
export const includeZoneRun = runbookRef<ZoneParams>('es.include-zone');
