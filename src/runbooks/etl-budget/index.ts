export { budgetRunbook, type EtlBudgetDeps } from './budget-runbook.js';
export {
  cutsIntoFleet,
  etlBudget,
  exposureOf,
  type BudgetParams,
  type BudgetReport,
  type Exposure,
} from './budget-params.js';
export { planEtlBudget, readEtlBudget } from './budget-plan.js';
