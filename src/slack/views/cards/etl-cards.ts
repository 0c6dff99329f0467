import { etlBackfill, etlBudget, etlDeploy } from '../../../runbooks/index.js';
import { backfillPlanBlocks } from '../etl-backfill-view.js';
import { budgetPlanBlocks } from '../etl-budget-view.js';
import { etlDeployBlocks } from '../etl-deploy-view.js';
import { card } from './card.js';

/** The cards of the ETL runbooks (`/spot start` shows its steps only). */
export const ETL_CARDS = [
  card(etlBudget, { details: (p) => budgetPlanBlocks(p) }),
  card(etlDeploy, { details: etlDeployBlocks }),
  card(etlBackfill, { details: (p) => backfillPlanBlocks(p) }),
];
