import { expect, inject, test } from 'vitest';
import { generateSchedule } from '../../src/sim/chaos/index.js';
import { runSchedule } from './schedule-runner.js';

/**
 * F1 (I3), reported to the lead: a transient `enable: none` appears mid-maintain (someone else's);
 * the run fails with the right words but leaves no "shard movement is DISABLED" alarm. Expected
 * to fail until the fix lands: then this starts failing, and the entry in known-findings.ts goes.
 */
test.fails(
  'seed 19: a maintain failed on a transient override leaves the alarm (F1, I3)',
  async () => {
    const r = await runSchedule(generateSchedule(19), { redisUrl: inject('redisUrl'), sshd: inject('sshd') });
    expect(r.violations.map((v) => `${v.invariant}: ${v.what}`)).toEqual([]);
  },
  30_000,
);
