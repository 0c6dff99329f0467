import type { Env } from '../config/env.js';
import type { Logger } from '../log.js';
import { connectRedis, describeRedisTarget, redisTargetFromEnv, type RedisTarget } from './redis-connection.js';
import { checkRedisSafety, type RedisSafety } from './redis-safety.js';

/** How long start-up waits for Redis to answer the settings check before it gives up. */
const CHECK_TIMEOUT_MS = 15_000;

/**
 * The Redis a web or worker process runs on, checked before anything else uses it: a Redis
 * without AOF or with an evicting maxmemory-policy stops the process with exit code 78 and the
 * setting to change, unless OPSBOT_REDIS_UNSAFE_OK=1 says this is a throwaway setup.
 */
export async function requireSafeRedis(env: Env, log: Logger): Promise<RedisTarget> {
  const verdict = await judgeRedisAtStartup(env, log);
  if ('refusal' in verdict) {
    process.stderr.write(`opsbot: ${verdict.refusal}\n`);
    process.exit(78);
  }
  return verdict.target;
}

/** The target to start on, or the refusal (one message naming each setting to change). */
export async function judgeRedisAtStartup(
  env: Env,
  log: Logger,
): Promise<{ target: RedisTarget } | { refusal: string }> {
  const found = redisTargetFromEnv(env);
  if ('problem' in found) return { refusal: found.problem };
  const target = found.target;
  const where = describeRedisTarget(target);
  const safety = await checkWithin(target, where);
  if (safety.unchecked.length)
    log.warn(
      { redis: where, unchecked: safety.unchecked },
      'could not check these Redis settings: make sure the service keeps AOF on and evicts nothing',
    );
  if (safety.problems.length === 0) {
    log.info({ redis: where, from: safety.source }, 'redis settings checked: AOF on, noeviction');
    return { target };
  }
  if (env.OPSBOT_REDIS_UNSAFE_OK) {
    log.warn(
      { redis: where, problems: safety.problems },
      'OPSBOT_REDIS_UNSAFE_OK=1: starting on a Redis that can lose runs (throwaway setups only)',
    );
    return { target };
  }
  return {
    refusal:
      `Redis (${where}) can lose runs; set\n` +
      safety.problems.map((p) => `  - ${p}\n`).join('') +
      '  in redis.conf (or CONFIG SET, then CONFIG REWRITE) and start again; for a throwaway setup, ' +
      'OPSBOT_REDIS_UNSAFE_OK=1 starts anyway',
  };
}

async function checkWithin(target: RedisTarget, where: string): Promise<RedisSafety> {
  const redis = connectRedis(target, {
    lazyConnect: true,
    maxRetriesPerRequest: 2,
    connectTimeout: 5_000,
    retryStrategy: (times) => (times > 3 ? null : 500),
  });
  // Errors reach the caller through the commands; the event would only repeat them.
  redis.on('error', () => undefined);
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      redis.connect().then(() => checkRedisSafety(redis)),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS / 1000} s`)), CHECK_TIMEOUT_MS);
      }),
    ]);
  } catch (err) {
    throw new Error(
      `could not reach Redis (${where}) to check its settings: ${(err as Error).message}; ` +
        'start it, or fix REDIS_URL / REDIS_SENTINELS',
      { cause: err },
    );
  } finally {
    clearTimeout(timer);
    redis.disconnect();
  }
}
