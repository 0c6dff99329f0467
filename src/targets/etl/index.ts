export { EtlTargets } from './etl-targets.js';
export { EtlRepo, lastWords, type CommitInfo } from './etl-repo.js';
export { EtlError } from './etl-error.js';
export { resourceNames, mergeNames, type EtlResourceNames } from './etl-resource-names.js';
export { readTables, type TableState, type TableInstance } from './es-tables.js';
export { listKeys, missingKeys, enqueueKeys, type MissingKeys } from './backfill.js';
