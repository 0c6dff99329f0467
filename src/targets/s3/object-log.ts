import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { toAwsError } from '../aws/index.js';
import type { Buckets } from './buckets.js';
import { keyPages } from './key-listing.js';

/** `s3://bucket/prefix/` as a bucket and a key prefix (ending in "/" unless empty). */
export function parseS3Url(url: string): { bucket: string; prefix: string } {
  const m = /^s3:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])(?:\/(.*))?$/.exec(url);
  if (!m) throw new Error(`"${url}" is not an S3 location: write it as s3://BUCKET/PREFIX/`);
  const raw = m[2] ?? '';
  return { bucket: m[1]!, prefix: raw === '' || raw.endsWith('/') ? raw : `${raw}/` };
}

/**
 * An append-only log of JSON lines in S3, which has no append: each batch is one new object,
 * named by its ordinal (zero-padded, so the bucket's key order is the log's order), and never
 * overwritten: a batch whose object exists already is accepted only if it is the same batch (a
 * retry of a write that landed), refused otherwise.
 */
export class S3ObjectLog {
  readonly where: string;

  constructor(
    private readonly buckets: Buckets,
    readonly bucket: string,
    readonly prefix: string,
  ) {
    this.where = `s3://${bucket}/${prefix}`;
  }

  keyOf(ordinal: number): string {
    return `${this.prefix}${String(ordinal).padStart(12, '0')}.jsonl`;
  }

  /** Writes `lines` as the batch starting at `ordinal`; resolves once S3 has it. */
  async append(lines: string[], ordinal: number): Promise<void> {
    if (!lines.length) return;
    const key = this.keyOf(ordinal);
    const body = `${lines.join('\n')}\n`;
    const existing = await this.read(key);
    if (existing !== undefined) {
      if (existing === body) return;
      throw new Error(`${this.where}: ${key} exists with other lines; an audit object is never overwritten`);
    }
    try {
      // If-None-Match: S3 refuses the write if another writer created the object meanwhile.
      await this.buckets.client.send(
        new PutObjectCommand({
          Bucket: this.bucket,
          Key: key,
          Body: body,
          ContentType: 'application/x-ndjson',
          IfNoneMatch: '*',
        }),
      );
    } catch (err) {
      throw toAwsError(err, `S3 PutObject ${key}`, this.where);
    }
  }

  /** Every object of the log, in order, with its lines (blank ones dropped). */
  async *objects(): AsyncGenerator<{ key: string; lines: string[] }> {
    for await (const keys of keyPages(this.buckets, this.bucket, { prefix: this.prefix })) {
      for (const key of keys) {
        if (!key.endsWith('.jsonl')) continue;
        yield { key, lines: ((await this.read(key)) ?? '').split('\n').filter((l) => l !== '') };
      }
    }
  }

  /** The object's text, or undefined when there is none. */
  private async read(key: string): Promise<string | undefined> {
    try {
      const res = await this.buckets.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      return (await res.Body?.transformToString('utf8')) ?? '';
    } catch (err) {
      const e = err as { name?: string; $metadata?: { httpStatusCode?: number } };
      if (e.name === 'NoSuchKey' || e.$metadata?.httpStatusCode === 404) return undefined;
      throw toAwsError(err, `S3 GetObject ${key}`, this.where);
    }
  }
}
