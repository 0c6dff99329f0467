import { SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import { toAwsError } from '../aws/index.js';
import { compareKeys, type Buckets } from '../s3/index.js';
import type { Queues } from '../sqs/index.js';
import { BackfillMerge, startCursor } from './backfill-merge.js';
import { EtlError } from './etl-error.js';

/** What the plan learns from the start of the comparison (bounded: the buckets may hold millions). */
export interface MissingSample {
  /** The first few missing keys. */
  sample: string[];
  /** Missing keys found: all of them when `finished`, else those among the first `listed`. */
  missing: number;
  listed: number;
  finished: boolean;
}

/**
 * The start of the backfill's comparison, for its plan: at most `budgetMs` of listing (both
 * buckets are listed at once, so a bucket that does not exist or may not be read says so here).
 */
export async function sampleMissing(
  buckets: Buckets,
  source: string,
  destination: string,
  o: { budgetMs: number; sample?: number; pageSize?: number; settings?: { source: string; destination: string } },
): Promise<MissingSample> {
  const merge = new BackfillMerge(buckets, source, destination, startCursor(), o);
  const until = Date.now() + o.budgetMs;
  const sample: string[] = [];
  try {
    for (;;) {
      const key = await merge.next(() => Date.now() > until);
      if (key === undefined) break;
      if (sample.length < (o.sample ?? 5)) sample.push(key);
    }
  } finally {
    await merge.close();
  }
  const c = merge.cursor();
  return { sample: sample.sort(compareKeys), missing: c.missing, listed: c.listed, finished: c.finished };
}

/** SQS takes at most ten messages a request: the backfill's unit of sending. */
export const SQS_BATCH = 10;

/**
 * Puts at most ten keys on the work queue (`url`, from Queues.url) as the ETL's messages
 * (`{bucket, key, timestamp}`), in one SendMessageBatch. A refusal of any of them throws.
 */
export async function sendKeyBatch(
  queues: Queues,
  queue: { name: string; url: string },
  bucket: string,
  keys: readonly string[],
  now = Date.now(),
): Promise<void> {
  if (keys.length > SQS_BATCH) throw new Error(`sendKeyBatch: ${keys.length} keys, at most ${SQS_BATCH}`);
  let out;
  try {
    out = await queues.client.send(
      new SendMessageBatchCommand({
        QueueUrl: queue.url,
        Entries: keys.map((key, k) => ({
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
  } catch (err) {
    throw toAwsError(err, `SQS SendMessageBatch ${queue.name}`, 'SQS');
  }
  if (out.Failed?.length)
    throw new EtlError(
      `SQS refused ${out.Failed.length} of ${keys.length} messages for ${queue.name} ` +
        `(${out.Failed[0]?.Code}: ${out.Failed[0]?.Message})`,
      'refused',
      true,
    );
}
