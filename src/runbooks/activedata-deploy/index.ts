export { deployRunbook, rollbackRunbook, restartRunbook, type ActiveDataDeps } from './deploy-runbook.js';
export {
  deployParams,
  rollbackParams,
  describePrograms,
  type DeployParams,
  type RollbackParams,
  type RestartParams,
  type ServiceTarget,
} from './service-params.js';
export type { ServiceTiming } from './service-check.js';
