export { etlDeployRunbook, spotStartRunbook, ETL_SPOTMANAGER_LOCK } from './deploy-runbook.js';
export type { EtlDeployDeps } from './deploy-deps.js';
export {
  branchMove,
  REVERT_DEPLOY,
  etlDeploy,
  shortSha,
  spotStart,
  type EtlDeployParams,
  type FleetMember,
  type NamedResource,
  type SpotStartParams,
  type TableAtPlan,
} from './deploy-params.js';
export { troubleAdvice } from './trouble-advice.js';
export { revertPlan } from './revert-step.js';
export { planEtlDeploy, planSpotStart } from './deploy-plan.js';
export { SPOTMANAGER_STOPPED, spotManagerAlarms } from './spotmanager-steps.js';
export { describeEtlProblem, isEtlProblem } from './operator-errors.js';
