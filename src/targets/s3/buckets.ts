import {
  CreateBucketCommand,
  HeadBucketCommand,
  ListObjectsV2Command,
  S3Client,
  type BucketLocationConstraint,
} from '@aws-sdk/client-s3';
import type { AwsConfig } from '../../config/estate.js';
import { clientConfig, describeEndpoint, toAwsError } from '../aws/index.js';

export interface RecentObjects {
  bucket: string;
  prefix: string;
  count: number;
  newest?: number;
  scanned: number;
  truncated: boolean;
}

/** The ETL's S3 buckets: making sure they exist, and whether the ETL is writing to them. */
export class Buckets {
  readonly client: S3Client;
  /** The S3 endpoint, for messages. */
  readonly where: string;

  constructor(
    private readonly aws: AwsConfig,
    env: NodeJS.ProcessEnv = process.env,
  ) {
    this.client = new S3Client({ ...clientConfig(aws, 's3', env), forcePathStyle: aws.s3ForcePathStyle });
    this.where = describeEndpoint(aws, 's3');
  }

  async exists(bucket: string): Promise<boolean> {
    try {
      await this.client.send(new HeadBucketCommand({ Bucket: bucket }));
      return true;
    } catch (err) {
      const e = err as { name?: string; $metadata?: { httpStatusCode?: number } };
      if (e.name === 'NotFound' || e.name === 'NoSuchBucket' || e.$metadata?.httpStatusCode === 404) return false;
      throw toAwsError(err, `S3 HeadBucket ${bucket}`, this.where);
    }
  }

  /** Creates the bucket unless it exists; an existing one is left alone. */
  async ensureBucket(bucket: string): Promise<{ bucket: string; created: boolean }> {
    if (await this.exists(bucket)) return { bucket, created: false };
    try {
      // us-east-1 is the one region that refuses a location constraint naming itself.
      const location =
        this.aws.region === 'us-east-1'
          ? undefined
          : { LocationConstraint: this.aws.region as BucketLocationConstraint };
      await this.client.send(
        new CreateBucketCommand({ Bucket: bucket, ...(location ? { CreateBucketConfiguration: location } : {}) }),
      );
      return { bucket, created: true };
    } catch (err) {
      const name = (err as { name?: string }).name;
      if (name === 'BucketAlreadyOwnedByYou') return { bucket, created: false };
      throw toAwsError(err, `S3 CreateBucket ${bucket}`, this.where);
    }
  }

  /**
   * Objects under `prefix` modified at or after `since` (epoch ms). Listing is bounded by
   * `maxKeys` so a bucket of millions answers quickly; `truncated` says the count is a floor.
   */
  async countRecent(bucket: string, prefix: string, since: number, maxKeys = 5_000): Promise<RecentObjects> {
    let count = 0;
    let scanned = 0;
    let newest: number | undefined;
    let token: string | undefined;
    try {
      do {
        const page = await this.client.send(
          new ListObjectsV2Command({
            Bucket: bucket,
            Prefix: prefix,
            MaxKeys: Math.min(1000, maxKeys - scanned),
            ...(token ? { ContinuationToken: token } : {}),
          }),
        );
        for (const o of page.Contents ?? []) {
          scanned++;
          const at = o.LastModified?.getTime() ?? 0;
          if (at >= since) count++;
          if (newest === undefined || at > newest) newest = at;
        }
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (token && scanned < maxKeys);
    } catch (err) {
      throw toAwsError(err, `S3 ListObjectsV2 ${bucket}`, this.where);
    }
    return {
      bucket,
      prefix,
      count,
      scanned,
      truncated: token !== undefined,
      ...(newest !== undefined ? { newest } : {}),
    };
  }

  close(): void {
    this.client.destroy();
  }
}
