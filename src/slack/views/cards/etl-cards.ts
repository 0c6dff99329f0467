import type { Run } from '../../../engine/index.js';
import type { BackfillParams } from '../../../runbooks/etl-backfill/index.js';
import type { BudgetParams } from '../../../runbooks/etl-budget/index.js';
import { backfillPlanBlocks } from '../etl-backfill-view.js';
import { budgetPlanBlocks } from '../etl-budget-view.js';
import { etlDeployBlocks } from '../etl-deploy-view.js';
import type { Block } from '../blocks.js';
import type { RegisteredCard } from './card.js';

// TODO(etl): register by the runbooks' handles (card(etlDeploy, ...)) once they have them.
const untyped = <P>(runbook: string, details: (p: P, run: Run) => Block[]): RegisteredCard => ({
  runbook,
  details: (run: Run) => details(run.params as unknown as P, run),
});

/** The cards of the ETL runbooks. */
export const ETL_CARDS: RegisteredCard[] = [
  untyped<BudgetParams>('etl.budget', budgetPlanBlocks),
  untyped<unknown>('etl.deploy', (_p, run) => etlDeployBlocks(run)),
  untyped<BackfillParams>('etl.backfill', backfillPlanBlocks),
];
