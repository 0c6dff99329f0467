import { Redis } from 'ioredis';
import { inject } from 'vitest';

/** How many times each step was recorded done in the run audit stream under `prefix`. */
export async function stepDoneCounts(prefix: string): Promise<Record<string, number>> {
  const redis = new Redis(inject('redisUrl'));
  const rows = await redis.xrange(`${prefix}:audit`, '-', '+');
  redis.disconnect();
  const counts: Record<string, number> = {};
  for (const [, f] of rows) {
    const m: Record<string, string> = {};
    for (let i = 0; i + 1 < f.length; i += 2) m[f[i]!] = f[i + 1]!;
    if (m.type === 'step_done') counts[m.step!] = (counts[m.step!] ?? 0) + 1;
  }
  return counts;
}
