export { deployRunbook, rollbackRunbook, restartRunbook, type ActiveDataDeps } from './deploy-runbook.js';
export {
  activeDataDeploy,
  activeDataRestart,
  activeDataRollback,
  describePrograms,
  type DeployParams,
  type RollbackParams,
  type RestartParams,
  type ServiceTarget,
} from './service-params.js';
export { planActiveDataDeploy, planActiveDataRestart, planActiveDataRollback } from './service-plans.js';
export type { ServiceTiming } from './service-check.js';
