import type { Run } from '../../../engine/types.js';
import type { DrainParams } from '../../../runbooks/index.js';
import type { Block } from '../blocks.js';
import type { DeployParams, RestartParams, RollbackParams } from '../../../runbooks/activedata-deploy/index.js';
import { deployPlanBlocks, restartPlanBlocks, rollbackPlanBlocks } from '../activedata-plan-view.js';
import { drainPlanBlocks, undrainPlanBlocks } from '../drain-plan-view.js';
import type { BudgetParams } from '../../../runbooks/etl-budget/index.js';
import { budgetPlanBlocks } from '../etl-budget-view.js';
import type { BackfillParams } from '../../../runbooks/etl-backfill/index.js';
import { backfillPlanBlocks } from '../etl-backfill-view.js';
import { etlDeployBlocks } from '../etl-deploy-view.js';
import { maintainBlocks, maintenanceBlocks } from '../maintenance-view.js';

/** Runbook-specific blocks of a run's card (the plan); runbooks without one show steps only. */
export type CardDetails = (run: Run) => Block[];

/** One line per runbook that has a plan to show. */
const DETAILS: Record<string, CardDetails> = {
  'es.drain': (run) => drainPlanBlocks(run.params as DrainParams),
  'es.undrain': (run) => undrainPlanBlocks(run.params as DrainParams),
  'es.bounce': maintenanceBlocks,
  'es.rolling-restart': maintenanceBlocks,
  'es.allocation': maintenanceBlocks,
  'es.exclude-zone': maintenanceBlocks,
  'es.include-zone': maintenanceBlocks,
  'es.maintain': maintainBlocks,
  'activedata.deploy': (run) => deployPlanBlocks(run.params as DeployParams),
  'activedata.rollback': (run) => rollbackPlanBlocks(run.params as RollbackParams),
  'activedata.restart': (run) => restartPlanBlocks(run.params as RestartParams),
  'etl.budget': (run) => budgetPlanBlocks(run.params as unknown as BudgetParams),
  'etl.deploy': etlDeployBlocks,
  'etl.backfill': (run) => backfillPlanBlocks(run.params as BackfillParams),
};

export function cardDetailsFor(run: Run): Block[] {
  return DETAILS[run.runbook]?.(run) ?? [];
}
