import { Redis, type RedisOptions } from 'ioredis';
import type { Env } from '../config/env.js';

/**
 * Where the bot's Redis is: a redis:// URL, or ioredis options naming the sentinels and the master
 * they monitor. Every connection (engine, BullMQ, health, replay cache) is made from the same one,
 * so all of them follow the master through a Sentinel failover.
 */
export type RedisTarget = string | RedisOptions;

/** The target the environment names, or the line that says what to set (exit 78 for the caller). */
export function redisTargetFromEnv(env: Env): { target: RedisTarget } | { problem: string } {
  if (env.REDIS_SENTINELS || env.REDIS_SENTINEL_MASTER) {
    if (!env.REDIS_SENTINELS || !env.REDIS_SENTINEL_MASTER)
      return {
        problem:
          `environment: ${env.REDIS_SENTINELS ? 'REDIS_SENTINEL_MASTER' : 'REDIS_SENTINELS'} is not set ` +
          '(Redis Sentinel needs both: REDIS_SENTINELS=host:port,host:port and ' +
          'REDIS_SENTINEL_MASTER=the monitored name)',
      };
    if (env.REDIS_URL)
      return {
        problem:
          'environment: REDIS_URL and REDIS_SENTINELS are both set (unset REDIS_URL: under Sentinel the master is ' +
          'found through the sentinels)',
      };
    return { target: sentinelOptions(env.REDIS_SENTINELS, env.REDIS_SENTINEL_MASTER, env.REDIS_PASSWORD) };
  }
  if (!env.REDIS_URL)
    return {
      problem:
        'environment: REDIS_URL is not set (redis://host:port of the Redis that holds runs and the queue, ' +
        'or REDIS_SENTINELS and REDIS_SENTINEL_MASTER)',
    };
  return { target: env.REDIS_URL };
}

/** ioredis' own Sentinel support: it asks the sentinels for the master and watches for +switch-master. */
export function sentinelOptions(sentinels: string, name: string, password?: string): RedisOptions {
  return {
    sentinels: sentinels.split(',').map((hp) => {
      const at = hp.lastIndexOf(':');
      return { host: hp.slice(0, at), port: Number(hp.slice(at + 1)) };
    }),
    name,
    // Reconnect to the new master as soon as a sentinel announces it, not when the old one times out.
    failoverDetector: true,
    // A command that reached the old master as it was demoted is sent again to the new one.
    reconnectOnError: (err) => (err.message.startsWith('READONLY') ? 2 : false),
    ...(password ? { password } : {}),
  };
}

/** A new connection to the target with these extra options (the caller's retry and queue settings). */
export function connectRedis(target: RedisTarget, extra: RedisOptions = {}): Redis {
  return typeof target === 'string' ? new Redis(target, extra) : new Redis({ ...target, ...extra });
}

/** The target for logs and messages: no password, no userinfo. */
export function describeRedisTarget(target: RedisTarget): string {
  if (typeof target === 'string') return target.replace(/\/\/[^@/]*@/, '//');
  const sentinels = (target.sentinels ?? []).map((s) => `${s.host}:${s.port}`).join(',');
  return `Sentinel master "${target.name}" via ${sentinels}`;
}
