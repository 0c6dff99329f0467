export { etlBackfillRunbook, type EtlBackfillDeps } from './backfill-runbook.js';
export { etlBackfill, type BackfillParams } from './backfill-params.js';
export { planEtlBackfill } from './backfill-plan.js';
