import type { AnyRunbook } from '../engine/index.js';
import { deployRunbook, restartRunbook, rollbackRunbook, type ActiveDataDeps } from './activedata-deploy/index.js';
import { drainRunbook, undrainRunbook, type DrainDeps } from './es-drain/drain-runbook.js';
import { budgetRunbook, type EtlBudgetDeps } from './etl-budget/index.js';
import { etlBackfillRunbook, type EtlBackfillDeps } from './etl-backfill/index.js';
import { etlDeployRunbook, spotStartRunbook, type EtlDeployDeps } from './etl-deploy/index.js';
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

export { drainParams, type DrainParams } from './es-drain/drain-params.js';
