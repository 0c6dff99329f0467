import { activeDataDeploy, activeDataRestart, activeDataRollback } from '../../../runbooks/index.js';
import { deployPlanBlocks, restartPlanBlocks, rollbackPlanBlocks } from '../activedata-plan-view.js';
import { card } from './card.js';

/** The cards of the ActiveData runbooks. */
export const ACTIVEDATA_CARDS = [
  card(activeDataDeploy, { details: (p) => deployPlanBlocks(p) }),
  card(activeDataRollback, { details: (p) => rollbackPlanBlocks(p) }),
  card(activeDataRestart, { details: (p) => restartPlanBlocks(p) }),
];
