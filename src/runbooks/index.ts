/**
 * The runbooks' surface for the rooms that ask for runs (src/slack) and the entry points that
 * wire them: every runbook, its handle, its plan and the read-only queries, and the types their
 * answers carry. src/slack reaches the estate only through here, never through a target adapter.
 */
import type { AnyRunbook, Run, RunStatus } from '../engine/index.js';
import { deployRunbook, restartRunbook, rollbackRunbook, type ActiveDataDeps } from './activedata-deploy/index.js';
import { drainRunbook, undrainRunbook, type DrainDeps } from './es-drain/drain-runbook.js';
import { budgetRunbook, type EtlBudgetDeps } from './etl-budget/index.js';
import { etlBackfillRunbook, type EtlBackfillDeps } from './etl-backfill/index.js';
import { etlDeployRunbook, spotStartRunbook, type EtlDeployDeps } from './etl-deploy/index.js';
import type { QueueLooks } from './etl-status/index.js';
import type { MaintenanceDeps } from './es-maintenance/maintenance-deps.js';
import {
  allocationRunbook,
  bounceRunbook,
  maintainRunbook,
  rollingRestartRunbook,
  zoneRunbooks,
} from './es-maintenance/maintenance-runbooks.js';

export type RunbookDeps = DrainDeps &
  MaintenanceDeps &
  ActiveDataDeps &
  EtlBudgetDeps &
  EtlDeployDeps &
  EtlBackfillDeps;

/** What the runs in flight look like to a plan (e.g. "one change to the frontend at a time"). */
export interface RunsInFlight {
  listRuns(opts: { limit?: number; statuses?: RunStatus[] }): Promise<Run[]>;
}

/**
 * What plans and read-only queries read the estate through: the runbooks' deps, the runs in
 * flight, and what only the queries keep (the last look at each ETL queue, for /etl status).
 */
export type PlanDeps = RunbookDeps & { runs: RunsInFlight; queueLooks: QueueLooks };

/** Every runbook the engine can run. */
export function allRunbooks(deps: RunbookDeps): AnyRunbook[] {
  return [
    drainRunbook(deps),
    undrainRunbook(deps),
    bounceRunbook(deps),
    rollingRestartRunbook(deps),
    maintainRunbook(deps),
    allocationRunbook(deps),
    ...zoneRunbooks(deps),
    deployRunbook(deps),
    rollbackRunbook(deps),
    restartRunbook(deps),
    budgetRunbook(deps),
    etlDeployRunbook(deps),
    etlBackfillRunbook(deps),
    spotStartRunbook(deps),
  ];
}

export { planned, refuse, nothingToDo, type Plan, type PlanResult, type Refusal, type Planner } from './plan.js';

// Elasticsearch: drains, maintenance, status.
export { drain, undrain, drainParams, type DrainParams } from './es-drain/drain-params.js';
export { planDrainRun, planUndrain } from './es-drain/drain-plans.js';
export {
  allocation,
  bounce,
  excludeZoneRun,
  includeZoneRun,
  maintain,
  rollingRestart,
  type AllocationParams,
  type MaintainParams,
  type MaintenanceParams,
  type RollingRestartParams,
  type ZoneParams,
} from './es-maintenance/maintenance-params.js';
export type { NodeRef } from './es-maintenance/node-ref.js';
export {
  planAllocation,
  planBounce,
  planMaintain,
  planRollingRestart,
  planZone,
} from './es-maintenance/maintenance-plans.js';
export { readAllocationSettings, readClusterStatus, type ClusterStatusReport } from './es-queries.js';
export { readIndicesHealth, type IndicesHealthReport, type UnhealthyIndex } from './es-health-query.js';
export { readNodeShards, readShardExplain, type NodeIndexShards, type NodeShardsReport } from './es-shards-query.js';
export type { ShardExplanation, NodeVerdict } from '../targets/elasticsearch/index.js';
export {
  readRecoveryReport,
  nodeOf,
  type RecoveryReport,
  type ThrottleRow,
  type ActiveRecovery,
  type NodeRecoveryLoad,
} from './es-recovery-query.js';
export type { ClusterStatus, Health, NodeRow, SettingRow } from '../targets/elasticsearch/index.js';

// ActiveData service: deploy, rollback, restart, and status, logs, config.
export {
  activeDataDeploy,
  activeDataRestart,
  activeDataRollback,
  planActiveDataDeploy,
  planActiveDataRestart,
  planActiveDataRollback,
  type DeployParams,
  type RestartParams,
  type RollbackParams,
  type ServiceTarget,
} from './activedata-deploy/index.js';
export {
  readServiceConfigFile,
  readServiceLogs,
  readServiceStatus,
  type ServiceConfigReport,
  type ServiceLogsReport,
  type ServiceStatusReport,
} from './activedata-read/service-queries.js';
export type {
  CommitInfo,
  ConfigFile,
  HealthAnswer,
  LogExcerpt,
  ProgramStatus,
  ServiceStatus,
} from '../targets/activedata/index.js';

// The ETL: deploy, backfill, budget, SpotManager start; status and SpotManager's log.
export {
  etlDeploy,
  spotStart,
  planEtlDeploy,
  planSpotStart,
  revertPlan,
  type EtlDeployParams,
  type FleetMember,
  type NamedResource,
  type SpotStartParams,
} from './etl-deploy/index.js';
export { etlBackfill, planEtlBackfill, type BackfillParams } from './etl-backfill/index.js';
export {
  cutsIntoFleet,
  etlBudget,
  exposureOf,
  planEtlBudget,
  readEtlBudget,
  type BudgetParams,
  type BudgetReport,
  type Exposure,
} from './etl-budget/index.js';
export {
  MemoryQueueLooks,
  RedisQueueLooks,
  readEtlStatus,
  readSpotLog,
  type EtlStatus,
  type Part,
  type QueueLook,
  type QueueLooks,
  type SpotLogLine,
  type SpotLogReport,
  type SpotManagerPart,
} from './etl-status/index.js';
export type { EtlFleet, EtlPhase } from '../targets/ec2/index.js';
export type { QueueDepth } from '../targets/sqs/index.js';
export type { CronState, RunSummary, SpotEvent } from '../targets/spotmanager/index.js';
