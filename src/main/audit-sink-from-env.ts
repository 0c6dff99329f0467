import { FileAuditSink, type AuditSinkOptions } from '../engine/index.js';

/**
 * The engine's audit sink as the environment configures it: OPSBOT_AUDIT_FILE (an absolute path)
 * and OPSBOT_AUDIT_KEEP_DAYS (how long shipped entries also stay in Redis, default 30). Unset: the
 * audit trail lives in Redis only.
 */
export function auditSinkFromEnv(env: NodeJS.ProcessEnv): { audit?: AuditSinkOptions } {
  const file = env.OPSBOT_AUDIT_FILE;
  if (!file) return {};
  if (!file.startsWith('/')) throw new Error(`OPSBOT_AUDIT_FILE must be an absolute path, not "${file}"`);
  const days = env.OPSBOT_AUDIT_KEEP_DAYS === undefined ? 30 : Number(env.OPSBOT_AUDIT_KEEP_DAYS);
  if (!Number.isFinite(days) || days < 0)
    throw new Error('OPSBOT_AUDIT_KEEP_DAYS must be a number of days (0 or more)');
  return { audit: { sink: new FileAuditSink(file), keepInRedisMs: days * 86_400_000 } };
}
