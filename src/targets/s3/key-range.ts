import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { toAwsError } from '../aws/index.js';
import type { Buckets } from './buckets.js';

/** A bucket's first and last key: how far a listing in key order got can then be estimated. */
export interface KeyRange {
  first: string;
  last: string;
}

/** Larger than any character a key holds: `x + TOP` sorts after every key that starts with x. */
const TOP = '\u{10FFFF}';
/** Characters of the last key worth finding: an estimate needs no more. */
const DEPTH = 10;
const PRINTABLE = { lo: 0x20, hi: 0x7e };

/**
 * The first key (one listing of one key) and the last one, found a character at a time by binary
 * search on "is there a key after X?" (S3 cannot list backwards): about 7 requests a character,
 * for the first ten. An empty bucket has no range.
 */
export async function keyRange(buckets: Buckets, bucket: string): Promise<KeyRange | undefined> {
  const after = async (startAfter: string): Promise<string | undefined> => {
    try {
      const out = await buckets.client.send(
        new ListObjectsV2Command({ Bucket: bucket, MaxKeys: 1, ...(startAfter ? { StartAfter: startAfter } : {}) }),
      );
      return out.Contents?.[0]?.Key;
    } catch (err) {
      throw toAwsError(err, `S3 ListObjectsV2 ${bucket}`, buckets.where);
    }
  };
  const first = await after('');
  if (first === undefined) return undefined;
  let last = '';
  for (let i = 0; i < DEPTH; i++) {
    // The largest printable c such that some key sorts at or after last + c.
    let lo = PRINTABLE.lo - 1;
    let hi = PRINTABLE.hi;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if ((await after(last + String.fromCharCode(mid - 1) + TOP)) !== undefined) lo = mid;
      else hi = mid - 1;
    }
    if (lo < PRINTABLE.lo) break;
    last += String.fromCharCode(lo);
  }
  return { first, last: last < first ? first : last };
}

const BASE = PRINTABLE.hi - PRINTABLE.lo + 2;
const DIGITS = 6;

/** A key as a number, over the characters after `skip` (printable ASCII; others clamp). */
function position(key: string, skip: number): number {
  let v = 0;
  for (let i = 0; i < DIGITS; i++) {
    const code = key.charCodeAt(skip + i);
    const d = Number.isNaN(code) ? 0 : Math.min(BASE - 1, Math.max(1, code - PRINTABLE.lo + 1));
    v = v * BASE + d;
  }
  return v;
}

/**
 * How far through the range `key` is, 0..1, by interpolating on the characters after the common
 * prefix of first and last: exact for keys of one shape (`tc.1000000` … `tc.2999999`), rough for others.
 */
export function fractionThrough(range: KeyRange, key: string): number {
  let skip = 0;
  while (skip < range.first.length && range.first[skip] === range.last[skip]) skip++;
  const numbers = [range.first, range.last, key].map((k) => /^\d+/.exec(k.slice(skip))?.[0]);
  if (numbers.every((n) => n !== undefined && n.length === numbers[0]!.length)) {
    // Numbered keys of one width (tc.1000000 … tc.2999999): their byte order is their numeric order.
    const [a, b, x] = numbers.map(Number) as [number, number, number];
    return b > a ? Math.min(1, Math.max(0, (x - a) / (b - a))) : 1;
  }
  const lo = position(range.first, skip);
  const hi = position(range.last, skip);
  if (hi <= lo) return key >= range.last ? 1 : 0;
  return Math.min(1, Math.max(0, (position(key, skip) - lo) / (hi - lo)));
}
