import { Redis } from 'ioredis';
import { loadEnv } from '../config/env.js';

/**
 * `npm run audit:export [-- --run RUN_ID]`: the whole audit stream (oldest first) as JSON lines on
 * stdout, for archiving or a SIEM. Reads Redis directly (XRANGE in pages), writes nothing.
 */
async function main(): Promise<void> {
  const env = loadEnv();
  if (!env.REDIS_URL) throw new Error('REDIS_URL is not set (the Redis that holds the audit stream)');
  const runIdx = process.argv.indexOf('--run');
  const only = runIdx > 0 ? process.argv[runIdx + 1] : undefined;
  const redis = new Redis(env.REDIS_URL, { maxRetriesPerRequest: 2 });
  const key = `${env.OPSBOT_PREFIX}:audit`;
  let start = '-';
  let count = 0;
  try {
    for (;;) {
      const rows = await redis.xrange(key, start, '+', 'COUNT', 500);
      for (const [id, fields] of rows) {
        const f: Record<string, string> = {};
        for (let i = 0; i + 1 < fields.length; i += 2) f[fields[i]!] = fields[i + 1]!;
        if (only && f.run !== only) continue;
        const entry = {
          id,
          at: new Date(Number(f.at)).toISOString(),
          run: f.run,
          runbook: f.runbook,
          type: f.type,
          user: f.user,
          step: f.step,
          detail: f.detail ? (JSON.parse(f.detail) as unknown) : {},
        };
        process.stdout.write(`${JSON.stringify(entry)}\n`);
        count++;
      }
      if (rows.length < 500) break;
      start = `(${rows[rows.length - 1]![0]}`;
    }
    process.stderr.write(`${count} audit entries exported from ${key}\n`);
  } finally {
    redis.disconnect();
  }
}

main().catch((err) => {
  process.stderr.write(`audit export failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
