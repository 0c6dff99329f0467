export { Queues, type QueueDepth } from './queues.js';
