import { expect, inject, test } from 'vitest';
import { generateSchedule } from '../../src/sim/chaos/index.js';
import { runSchedule } from './schedule-runner.js';

/**
 * The schedules that found bot bugs, replayed on every run (each failed before its fix):
 * - F1 (I3), seeds 19, 31, 45: a transient `enable: none` set by someone else mid-run; the run
 *   failed with no "shard movement is DISABLED" alarm, or its own `primaries` was left behind;
 * - F2 (I2), seed 14: the drain's exclusion removed by someone else, then "empty: safe to stop"
 *   while the node held copies again;
 * - F3 (I3), seed 1331: cancelled while "Disable shard movement (replicas)" retried after a 429
 *   with its write already in: no Revert, no alarm;
 * - I1, seed 10159: a rolling restart's gate read the shard table, then a crash elsewhere during
 *   the SSH connection left the node holding the last copy: the gate is now judged again once
 *   the connection is up, right before the command. Under load it failed again: a flooded disk
 *   was sending the only copy onto the node to restart, and the gate counted a copy relocating
 *   onto the node as elsewhere; it counts as the node's now (lastCopiesOn).
 */
test.each([19, 31, 45, 14, 1331, 10159])(
  'seed %i of the chaos findings keeps every invariant',
  async (seed) => {
    const r = await runSchedule(generateSchedule(seed), { redisUrl: inject('redisUrl'), sshd: inject('sshd') });
    expect(r.violations.map((v) => `${v.invariant}: ${v.what}`)).toEqual([]);
  },
  30_000,
);
