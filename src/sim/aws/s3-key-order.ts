import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { compareKeys } from '../../targets/s3/key-order.js';

/**
 * fauxqs 1.9 lists a bucket by sorting every object with `localeCompare` on each page, and skips
 * keys with `<=` against the continuation key: not S3's order (S3 lists keys in UTF-8 byte order,
 * where `tc.10` < `tc.1:1001.1`), so a listing of mixed keys skips some and repeats others, and a
 * page of a 2-million-key bucket costs seconds. This replaces the store's listing, for every
 * fauxqs server in this process, with S3's order over a sorted index of the bucket's keys
 * (rebuilt only after a write), found by binary search: pages cost O(log n + page).
 * It also lets a test deny the listing of one bucket (AccessDenied, HTTP 403), as IAM would.
 */

interface StoredObject {
  key: string;
}
type Objects = Map<string, StoredObject>;
interface ListOptions {
  prefix?: string;
  delimiter?: string;
  maxKeys?: number;
  startAfter?: string;
  marker?: string;
}
interface S3StoreLike {
  buckets: Map<string, Objects>;
  createBucket: (this: S3StoreLike, name: string) => void;
  putObject: (this: S3StoreLike, bucket: string, key: string, body: Buffer) => unknown;
  listObjects: (
    this: S3StoreLike,
    bucket: string,
    o?: ListOptions,
  ) => { objects: StoredObject[]; commonPrefixes: string[]; isTruncated: boolean };
}
type S3ErrorClass = new (code: string, message: string, status: number) => Error;

const index = new WeakMap<Objects, { keys: string[] | undefined }>();
const denied = new Set<string>();
let lastStore: S3StoreLike | undefined;

/** The bucket's keys in S3's order; the index is dropped by any write to the bucket. */
function sortedKeys(objects: Objects): string[] {
  let entry = index.get(objects);
  if (!entry) {
    const e: { keys: string[] | undefined } = { keys: undefined };
    entry = e;
    index.set(objects, e);
    for (const m of ['set', 'delete', 'clear'] as const) {
      const original = (Map.prototype as unknown as Record<string, (...args: unknown[]) => unknown>)[m]!;
      Object.defineProperty(objects, m, {
        value: (...args: unknown[]) => {
          e.keys = undefined;
          return original.apply(objects, args);
        },
      });
    }
  }
  entry.keys ??= [...objects.keys()].sort(compareKeys);
  return entry.keys;
}

/** The first index whose key sorts after `key`. */
function after(keys: string[], key: string): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compareKeys(keys[mid]!, key) <= 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function listInKeyOrder(store: S3StoreLike, S3Error: S3ErrorClass, bucket: string, o: ListOptions = {}) {
  const objects = store.buckets.get(bucket);
  if (!objects) throw new S3Error('NoSuchBucket', `The specified bucket does not exist: ${bucket}`, 404);
  if (denied.has(bucket)) throw new S3Error('AccessDenied', 'Access Denied', 403);
  const prefix = o.prefix ?? '';
  const startAfter = o.startAfter || o.marker || '';
  const maxKeys = o.maxKeys ?? 1000;
  const keys = sortedKeys(objects);
  const from = Math.max(after(keys, startAfter), prefix ? after(keys, prefix) - (objects.has(prefix) ? 1 : 0) : 0);
  const out: StoredObject[] = [];
  const commonPrefixes: string[] = [];
  let i = from;
  for (; i < keys.length && out.length + commonPrefixes.length < maxKeys; i++) {
    const key = keys[i]!;
    if (!key.startsWith(prefix)) break;
    const cut = o.delimiter ? key.indexOf(o.delimiter, prefix.length) : -1;
    if (cut < 0) {
      out.push(objects.get(key)!);
      continue;
    }
    const common = key.slice(0, cut + o.delimiter!.length);
    if (compareKeys(common, startAfter) > 0) commonPrefixes.push(common);
    while (i + 1 < keys.length && keys[i + 1]!.startsWith(common)) i++;
  }
  const more = i < keys.length && keys[i]!.startsWith(prefix);
  return { objects: out, commonPrefixes, isTruncated: more };
}

let installed: Promise<void> | undefined;
const remember = (store: S3StoreLike) => {
  lastStore = store;
};

/** Installs S3's order into fauxqs (once per process; fauxqs exports neither module, hence the paths). */
export function installS3KeyOrder(): Promise<void> {
  installed ??= (async () => {
    const roots = createRequire(import.meta.url).resolve.paths('fauxqs') ?? [];
    const dist = roots.map((r) => join(r, 'fauxqs', 'dist')).find((d) => existsSync(join(d, 'app.js')));
    if (!dist) throw new Error('fauxqs is not installed: run npm ci');
    const load = (path: string) => import(pathToFileURL(join(dist, path)).href) as Promise<Record<string, unknown>>;
    const store = (await load('s3/s3Store.js')).S3Store as { prototype: S3StoreLike };
    const S3Error = (await load('common/errors.js')).S3Error as S3ErrorClass;
    const createBucket = store.prototype.createBucket;
    store.prototype.createBucket = function (this: S3StoreLike, name: string) {
      remember(this);
      createBucket.call(this, name);
    };
    store.prototype.listObjects = function (this: S3StoreLike, bucket: string, o?: ListOptions) {
      return listInKeyOrder(this, S3Error, bucket, o);
    };
  })();
  return installed;
}

/** Makes the bucket's listing answer AccessDenied (or lifts that), as a missing s3:ListBucket grant does. */
export function denyListing(bucket: string, deny = true): void {
  if (deny) denied.add(bucket);
  else denied.delete(bucket);
}

/**
 * Writes empty objects straight into the store of the fauxqs server that created `bucket` last
 * (seeding millions of keys over HTTP would take many minutes); creates the bucket if needed.
 */
export function putKeysDirectly(create: (bucket: string) => unknown, bucket: string, keys: Iterable<string>): number {
  create(bucket);
  const store = lastStore;
  if (!store) throw new Error('installS3KeyOrder() must run before putKeysDirectly()');
  const empty = Buffer.alloc(0);
  let n = 0;
  for (const key of keys) {
    store.putObject(bucket, key, empty);
    n++;
  }
  return n;
}
