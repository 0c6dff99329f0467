import { ConfigError } from '../config/config-error.js';
import { loadEnv, type Env } from '../config/env.js';
import { dirname, resolve } from 'node:path';
import { loadEstate } from '../config/load-estate.js';
import { loadPolicy, type Policy } from '../config/policy.js';
import type { Estate } from '../config/estate.js';
import { createLogger, type Logger } from '../log.js';

/**
 * Start-up configuration of a process: environment and estate file, validated. A problem stops
 * the process with one line naming the variable or the file and key, and exit code 78 (EX_CONFIG).
 */
export function loadSettingsOrExit(name: string): { env: Env; estate: Estate; policy: Policy; log: Logger } {
  try {
    const env = loadEnv();
    const log = createLogger({ level: env.LOG_LEVEL ?? 'info', name, pretty: env.LOG_FORMAT === 'pretty' });
    const estate = loadEstate(env.OPSBOT_CONFIG);
    // The policy file's path is relative to opsbot.yaml.
    const policy = estate.policyFile
      ? loadPolicy(resolve(dirname(env.OPSBOT_CONFIG), estate.policyFile))
      : { rules: [] };
    return { env, estate, policy, log };
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`opsbot: ${err.message}\n`);
      process.exit(78);
    }
    throw err;
  }
}
