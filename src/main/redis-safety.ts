import type { Redis } from 'ioredis';

/**
 * What start-up found about the Redis settings the bot's durability rests on: runs, approvals and
 * the queue must survive a Redis restart (AOF) and must never be evicted to make room (noeviction).
 */
export interface RedisSafety {
  /** Settings that must change, each naming the setting and its value. */
  problems: string[];
  /** What could not be checked, and why (a managed Redis with CONFIG and INFO fields hidden). */
  unchecked: string[];
  /** Where the values came from: CONFIG GET, or INFO when CONFIG is disabled. */
  source: 'config' | 'info';
}

const AOF_FIX = 'appendonly yes (AOF): without it a Redis restart loses runs, approvals and the queue';
const EVICTION_FIX = (policy: string) =>
  `maxmemory-policy noeviction (it is ${policy}): an evicting Redis drops runs and queue jobs when it fills up`;

/** Reads appendonly and maxmemory-policy with CONFIG GET, or from INFO where CONFIG is disabled. */
export async function checkRedisSafety(redis: Redis): Promise<RedisSafety> {
  const fromConfig = await readConfig(redis);
  const values = fromConfig ?? (await readInfo(redis));
  const problems: string[] = [];
  const unchecked: string[] = [];
  const why = fromConfig ? '' : ' (CONFIG is disabled and INFO does not show it)';
  if (values.appendonly === undefined) unchecked.push(`appendonly${why}`);
  else if (!values.appendonly) problems.push(AOF_FIX);
  if (values.policy === undefined) unchecked.push(`maxmemory-policy${why}`);
  else if (values.policy !== 'noeviction') problems.push(EVICTION_FIX(values.policy));
  return { problems, unchecked, source: fromConfig ? 'config' : 'info' };
}

interface Values {
  appendonly?: boolean;
  policy?: string;
}

/** undefined when CONFIG is renamed away or not permitted (managed Redis services do either). */
async function readConfig(redis: Redis): Promise<Values | undefined> {
  try {
    const aof = await redis.config('GET', 'appendonly');
    const policy = await redis.config('GET', 'maxmemory-policy');
    return { appendonly: aof[1] === 'yes', policy: policy[1] };
  } catch (err) {
    if (/unknown command|NOPERM|no permissions|not allowed/i.test((err as Error).message)) return undefined;
    throw err;
  }
}

/** INFO persistence's aof_enabled and INFO memory's maxmemory_policy. */
async function readInfo(redis: Redis): Promise<Values> {
  const fields = new Map<string, string>();
  for (const section of ['persistence', 'memory']) {
    for (const line of (await redis.info(section)).split(/\r?\n/)) {
      const at = line.indexOf(':');
      if (at > 0) fields.set(line.slice(0, at), line.slice(at + 1).trim());
    }
  }
  const aof = fields.get('aof_enabled');
  return {
    ...(aof !== undefined ? { appendonly: aof === '1' } : {}),
    ...(fields.has('maxmemory_policy') ? { policy: fields.get('maxmemory_policy')! } : {}),
  };
}
