/** The engine's public surface: runbooks import step types from here, entry points the Engine. */
export { Engine, type EngineOptions, type CreateRunInput, type RunRequest, type WorkerOptions } from './engine.js';
export { ENGINE_DEFAULTS } from './defaults.js';
export { RetryableError, EngineConfigError, isRetryable, describeError } from './errors.js';
export { lockedMessage, RunLockedError } from './run-locks.js';
export { approvalsFor, requiredApprovals, factChanges } from './plan-binding.js';
export { raisedAlarms } from './alarms.js';
export { allRecords } from './transitions.js';
export { runbookRef, paramsOf } from './runbook-ref.js';
export type { AuditEntry, AuditInput, AuditSinkOptions } from './audit-log.js';
export { FileAuditSink, type AuditSink } from './audit-sink.js';
export { verifyChain, type ChainVerdict } from './audit-chain.js';
export type * from './types.js';
