export { etlBackfillRunbook, type EtlBackfillDeps } from './backfill-runbook.js';
export type { BackfillParams } from './backfill-params.js';
