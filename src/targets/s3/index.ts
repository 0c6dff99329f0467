export { Buckets, type RecentObjects } from './buckets.js';
