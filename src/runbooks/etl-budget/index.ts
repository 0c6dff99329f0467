export { budgetRunbook, type EtlBudgetDeps } from './budget-runbook.js';
export { cutsIntoFleet, exposureOf, type BudgetParams } from './budget-params.js';
