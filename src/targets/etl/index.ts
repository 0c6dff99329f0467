export { EtlTargets } from './etl-targets.js';
export { EtlRepo, lastWords, type CommitInfo } from './etl-repo.js';
export { EtlError } from './etl-error.js';
export { resourceNames, mergeNames, type EtlResourceNames } from './etl-resource-names.js';
export { readTables, type TableState, type TableInstance } from './es-tables.js';
export { sampleMissing, sendKeyBatch, SQS_BATCH, type MissingSample } from './backfill.js';
export { BackfillMerge, startCursor, type MergeCursor } from './backfill-merge.js';
