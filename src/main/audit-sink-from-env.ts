import type { AwsConfig } from '../config/estate.js';
import { FileAuditSink, type AuditSink, type AuditSinkOptions } from '../engine/index.js';
import { Buckets, parseS3Url, S3ObjectLog } from '../targets/s3/index.js';

/**
 * The engine's audit sink as the environment configures it: OPSBOT_AUDIT_FILE (an absolute path)
 * or OPSBOT_AUDIT_S3 (`s3://bucket/prefix/`: one object per shipped batch, in the estate's AWS
 * region and endpoint, credentials from the environment as for the ETL), and OPSBOT_AUDIT_KEEP_DAYS
 * (how long shipped entries also stay in Redis, default 30). Unset: the trail lives in Redis only.
 */
export function auditSinkFromEnv(env: NodeJS.ProcessEnv, aws?: AwsConfig): { audit?: AuditSinkOptions } {
  const file = env.OPSBOT_AUDIT_FILE;
  const s3 = env.OPSBOT_AUDIT_S3;
  if (!file && !s3) return {};
  if (file && s3) throw new Error('set OPSBOT_AUDIT_FILE or OPSBOT_AUDIT_S3, not both: the trail has one sink');
  if (file && !file.startsWith('/')) throw new Error(`OPSBOT_AUDIT_FILE must be an absolute path, not "${file}"`);
  const days = env.OPSBOT_AUDIT_KEEP_DAYS === undefined ? 30 : Number(env.OPSBOT_AUDIT_KEEP_DAYS);
  if (!Number.isFinite(days) || days < 0)
    throw new Error('OPSBOT_AUDIT_KEEP_DAYS must be a number of days (0 or more)');
  const sink = file ? new FileAuditSink(file) : s3AuditSink(s3ObjectLog(s3!, aws ?? awsFromEnv(env), env));
  return { audit: { sink, keepInRedisMs: days * 86_400_000 } };
}

/** The S3 log at `url` (s3://bucket/prefix/). */
export function s3ObjectLog(url: string, aws: AwsConfig, env: NodeJS.ProcessEnv): S3ObjectLog {
  const { bucket, prefix } = parseS3Url(url);
  return new S3ObjectLog(new Buckets(aws, env), bucket, prefix);
}

/**
 * Without an estate (the audit CLIs): AWS_REGION, and AWS_ENDPOINT_URL_S3 for an S3-compatible
 * store other than AWS (then with path-style bucket URLs, as such stores expect).
 */
export function awsFromEnv(env: NodeJS.ProcessEnv): AwsConfig {
  const endpoint = env.AWS_ENDPOINT_URL_S3;
  return {
    region: env.AWS_REGION ?? 'us-west-2',
    endpoints: endpoint ? { s3: endpoint } : {},
    s3ForcePathStyle: endpoint !== undefined,
    requestTimeoutMs: 10_000,
  };
}

/** Each shipped batch one object, named by its first line's place in the chain (`seq`). */
function s3AuditSink(log: S3ObjectLog): AuditSink {
  return {
    where: log.where,
    append: (lines) =>
      lines.length ? log.append(lines, (JSON.parse(lines[0]!) as { seq: number }).seq) : Promise.resolve(),
  };
}
