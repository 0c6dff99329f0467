export { MemoryQueueLooks, RedisQueueLooks, type QueueLook, type QueueLooks } from './queue-looks.js';
export { readEtlStatus, type EtlStatus, type EtlStatusDeps, type Part, type SpotManagerPart } from './status-query.js';
export { readSpotLog, type SpotLogLine, type SpotLogReport } from './spot-log-query.js';
