export { Buckets, type RecentObjects } from './buckets.js';
export { keyPages, type KeyListingOptions } from './key-listing.js';
export { compareKeys } from './key-order.js';
export { keyRange, fractionThrough, type KeyRange } from './key-range.js';
export { parseS3Url, S3ObjectLog } from './object-log.js';
