export { etlDeployRunbook, spotStartRunbook, ETL_DEPLOY_LOCK } from './deploy-runbook.js';
export type { EtlDeployDeps } from './deploy-deps.js';
export {
  branchMove,
  shortSha,
  type EtlDeployParams,
  type FleetMember,
  type NamedResource,
  type TableAtPlan,
} from './deploy-params.js';
export { troubleAdvice } from './trouble-advice.js';
export { planEtlDeploy, type DeployPlan } from './deploy-plan.js';
