import { paginateListObjectsV2 } from '@aws-sdk/client-s3';
import { AwsError, toAwsError } from '../aws/index.js';
import type { Buckets } from './buckets.js';

export interface KeyListingOptions {
  /** List the keys after this one (S3's StartAfter): where a resumed listing picks up. */
  startAfter?: string;
  /** Only the keys under this prefix. */
  prefix?: string;
  /** Keys per ListObjectsV2 page (S3's most and default: 1000); small in tests. */
  pageSize?: number;
  /** The opsbot.yaml setting that named the bucket, for the error message (e.g. `etl.backfill.source`). */
  setting?: string;
}

/**
 * The keys of a bucket in S3's order (UTF-8 bytes), a page at a time: one page in hand and the
 * next one already on its way, so memory stays flat however large the bucket is. A bucket that
 * does not exist, or that the bot may not list, is an AwsError that names it and says what to check.
 */
export async function* keyPages(
  buckets: Buckets,
  bucket: string,
  o: KeyListingOptions = {},
): AsyncGenerator<string[], void, undefined> {
  const pages = paginateListObjectsV2(
    { client: buckets.client, pageSize: o.pageSize ?? 1000 },
    {
      Bucket: bucket,
      ...(o.startAfter ? { StartAfter: o.startAfter } : {}),
      ...(o.prefix ? { Prefix: o.prefix } : {}),
    },
  )[Symbol.asyncIterator]();
  const fetch = () => {
    const p = pages.next();
    p.catch(() => undefined); // awaited below; this only keeps an abandoned read-ahead from going unhandled
    return p;
  };
  let next = fetch();
  for (;;) {
    let page: IteratorResult<{ Contents?: { Key?: string }[] }>;
    try {
      page = await next;
    } catch (err) {
      throw listingError(err, bucket, buckets.where, o.setting);
    }
    if (page.done) return;
    next = fetch();
    const keys: string[] = [];
    for (const c of page.value.Contents ?? []) if (c.Key !== undefined) keys.push(c.Key);
    if (keys.length) yield keys;
  }
}

function listingError(err: unknown, bucket: string, where: string, setting?: string): AwsError {
  const e = err as { name?: string; Code?: string; $metadata?: { httpStatusCode?: number } };
  const code = e.Code ?? e.name ?? '';
  const named = setting ? `${bucket} (${setting} in opsbot.yaml)` : bucket;
  if (code === 'NoSuchBucket' || (e.$metadata?.httpStatusCode === 404 && code !== 'NoSuchKey'))
    return new AwsError(
      `S3 bucket ${named} does not exist at ${where}.`,
      'not_found',
      false,
      code,
      `Check the bucket's name${setting ? ` in ${setting}` : ''} and the region (aws.region), then ask again.`,
    );
  if (code === 'AccessDenied' || code === 'AllAccessDisabled')
    return new AwsError(
      `S3 bucket ${named}: the bot may not list it (${code}).`,
      'refused',
      false,
      code,
      `Ask whoever runs the bot to allow s3:ListBucket on arn:aws:s3:::${bucket} for its AWS credentials, ` +
        'then ask again.',
    );
  return toAwsError(err, `S3 ListObjectsV2 ${bucket}`, where);
}
