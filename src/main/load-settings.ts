import { ConfigError } from '../config/config-error.js';
import { loadEnv, type Env } from '../config/env.js';
import { loadEstate } from '../config/load-estate.js';
import type { Estate } from '../config/estate.js';
import { createLogger, type Logger } from '../log.js';

/**
 * Start-up configuration of a process: environment and estate file, validated. A problem stops
 * the process with one line naming the variable or the file and key, and exit code 78 (EX_CONFIG).
 */
export function loadSettingsOrExit(name: string): { env: Env; estate: Estate; log: Logger } {
  try {
    const env = loadEnv();
    const log = createLogger({ level: env.LOG_LEVEL, name });
    return { env, estate: loadEstate(env.OPSBOT_CONFIG), log };
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`opsbot: ${err.message}\n`);
      process.exit(78);
    }
    throw err;
  }
}

/** Web and worker share runs through Redis: without it they cannot start. */
export function requireRedisUrl(env: Env): string {
  if (!env.REDIS_URL) {
    process.stderr.write('opsbot: environment: REDIS_URL is not set (redis://host:port of the Redis that holds runs and the queue)\n');
    process.exit(78);
  }
  return env.REDIS_URL;
}
