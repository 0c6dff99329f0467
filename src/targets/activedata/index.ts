export { ActiveDataService, type ServiceStatus, type SshKey } from './service.js';
export { ActiveDataError, lastLines } from './errors.js';
export { GitCheckout, type CommitInfo } from './git-checkout.js';
export { Supervisor, parseStatus, FAILED_STATES, type ProgramState, type ProgramStatus } from './supervisor.js';
export { HealthProbe, servesCommit, type HealthAnswer, type ServiceVersion } from './health.js';
export { readLog, LOG_LIMITS, type LogExcerpt } from './log-reader.js';
export { readServiceConfig, CONFIG_MAX_BYTES, type ConfigFile } from './config-reader.js';
export { maskSecrets, MASK } from './mask-secrets.js';
export { remotePath } from './remote-path.js';
