import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';

type Arg = string | number;
const names = new Map<string, string>();

/**
 * A Lua script called by its SHA: ioredis' defineCommand sends EVALSHA, and EVAL once when Redis
 * does not know the script (NOSCRIPT, as after a restart or a failover). EVAL on every call would
 * write the whole script text to the socket each time: with a thousand runs re-checking, that was
 * a quarter of the worker's CPU. The command is named after the script's hash, so two scripts can
 * never share a name on one connection. `numberOfKeys` null: each call passes the number of keys
 * first, as EVAL does.
 */
export function redisScript<T = unknown>(
  redis: Redis,
  numberOfKeys: number | null,
  lua: string,
): (...keysThenArgs: Arg[]) => Promise<T> {
  let name = names.get(lua);
  if (!name) names.set(lua, (name = `opsbot_${createHash('sha1').update(lua).digest('hex').slice(0, 16)}`));
  const commands = redis as unknown as Record<string, ((...a: Arg[]) => Promise<T>) | undefined>;
  if (typeof commands[name] !== 'function')
    redis.defineCommand(name, numberOfKeys === null ? { lua } : { numberOfKeys, lua });
  const command = name;
  return (...keysThenArgs) => commands[command]!(...keysThenArgs);
}
