import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import { toAwsError } from '../aws/index.js';
import type { Buckets } from '../s3/index.js';
import type { Queues } from '../sqs/index.js';
import { EtlError } from './etl-error.js';

/** A listing never reads more than this many keys of one bucket: a backfill is done in rounds. */
const LIST_LIMIT = 200_000;

/** Every key of a bucket (at most `limit`), and whether there were more. */
export async function listKeys(
  buckets: Buckets,
  bucket: string,
  limit = LIST_LIMIT,
): Promise<{ keys: string[]; truncated: boolean }> {
  const keys: string[] = [];
  let token: string | undefined;
  try {
    do {
      const page = await buckets.client.send(
        new ListObjectsV2Command({ Bucket: bucket, MaxKeys: 1000, ...(token ? { ContinuationToken: token } : {}) }),
      );
      for (const o of page.Contents ?? []) if (o.Key) keys.push(o.Key);
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token && keys.length < limit);
  } catch (err) {
    throw toAwsError(err, `S3 ListObjectsV2 ${bucket}`, 'S3');
  }
  return { keys, truncated: token !== undefined };
}

/**
 * Destination keys are made from source keys with more parts after a `.` or `:` (`123` becomes
 * `123:4567.1`), so a source key is done when it is one of the destination keys' prefixes.
 */
function donePrefixes(destination: readonly string[]): Set<string> {
  const done = new Set<string>();
  for (const d of destination) {
    for (let i = 0; i < d.length; i++) if (d[i] === '.' || d[i] === ':') done.add(d.slice(0, i));
    done.add(d);
  }
  return done;
}

export interface MissingKeys {
  keys: string[];
  sourceCount: number;
  destinationCount: number;
  truncated: boolean;
}

/**
 * The backfill's question (FACTS): which keys of the source has the destination not got? At most
 * `max`, in key order.
 */
export async function missingKeys(
  buckets: Buckets,
  source: string,
  destination: string,
  max: number,
): Promise<MissingKeys> {
  const [src, dst] = await Promise.all([listKeys(buckets, source), listKeys(buckets, destination)]);
  const done = donePrefixes(dst.keys);
  const missing = src.keys.filter((k) => !done.has(k)).sort();
  return {
    keys: missing.slice(0, max),
    sourceCount: src.keys.length,
    destinationCount: dst.keys.length,
    truncated: src.truncated || dst.truncated || missing.length > max,
  };
}

/**
 * Puts keys on the work queue as the ETL's messages (`{bucket, key, timestamp}`), ten a request.
 * Returns how many were sent; a partial failure throws with how many made it.
 */
export async function enqueueKeys(
  queues: Queues,
  queue: string,
  bucket: string,
  keys: readonly string[],
  now = Date.now(),
): Promise<number> {
  const url = await queues.url(queue);
  if (!url) throw new EtlError(`the work queue ${queue} does not exist`, 'not_found');
  let sent = 0;
  for (let i = 0; i < keys.length; i += 10) {
    const batch = keys.slice(i, i + 10);
    try {
      const out = await queues.client.send(
        new SendMessageBatchCommand({
          QueueUrl: url,
          Entries: batch.map((key, k) => ({
            Id: String(k),
            MessageBody: JSON.stringify({
              bucket,
              key,
              timestamp: Math.floor(now / 1000),
              'date/time': new Date(now).toISOString(),
            }),
          })),
        }),
      );
      if (out.Failed?.length)
        throw new EtlError(
          `SQS refused ${out.Failed.length} of ${batch.length} messages for ${queue} ` +
            `(${out.Failed[0]?.Code}: ${out.Failed[0]?.Message}); ${sent} were queued before`,
          'refused',
          true,
        );
    } catch (err) {
      if (err instanceof EtlError) throw err;
      throw toAwsError(err, `SQS SendMessageBatch ${queue}`, 'SQS');
    }
    sent += batch.length;
  }
  return sent;
}
