import type { Run } from '../../../engine/index.js';
import type { DeployParams, RestartParams, RollbackParams } from '../../../runbooks/activedata-deploy/index.js';
import { deployPlanBlocks, restartPlanBlocks, rollbackPlanBlocks } from '../activedata-plan-view.js';
import type { RegisteredCard } from './card.js';

// TODO(activedata): register by the runbooks' handles (card(deploy, ...)) once they have them.
const untyped = <P>(runbook: string, details: (p: P) => ReturnType<typeof deployPlanBlocks>): RegisteredCard => ({
  runbook,
  details: (run: Run) => details(run.params as unknown as P),
});

/** The cards of the ActiveData runbooks. */
export const ACTIVEDATA_CARDS: RegisteredCard[] = [
  untyped<DeployParams>('activedata.deploy', deployPlanBlocks),
  untyped<RollbackParams>('activedata.rollback', rollbackPlanBlocks),
  untyped<RestartParams>('activedata.restart', restartPlanBlocks),
];
