/**
 * `npm run chaos -- --schedules N [--from SEED] [--lanes K]` runs N seeded fault schedules outside
 * vitest and prints counts per runbook, fault type, outcome and invariant; `--seed S` replays one
 * schedule and prints what happened. Exits 1 on any violation. Starts its own Redis and sshd.
 */
import { parseArgs } from 'node:util';
import { destroyPrivateRedis, startPrivateRedis } from '../../src/sim/services/private-redis.js';
import { startPrivateSshd } from '../../src/sim/services/private-sshd.js';
import { runSchedules } from './run-schedules.js';

const { values } = parseArgs({
  options: {
    schedules: { type: 'string', default: '200' },
    from: { type: 'string', default: '1' },
    seed: { type: 'string' },
    lanes: { type: 'string', default: '8' },
    verbose: { type: 'boolean', default: false },
  },
});
const positive = (name: string, text: string) => {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0) {
    process.stderr.write(`--${name} must be a whole number >= 0, got "${text}": run it again with one.\n`);
    process.exit(2);
  }
  return n;
};
const seeds =
  values.seed !== undefined
    ? [positive('seed', values.seed)]
    : Array.from({ length: positive('schedules', values.schedules) }, (_, i) => positive('from', values.from) + i);

const [redis, sshd] = await Promise.all([startPrivateRedis(), startPrivateSshd()]);
const started = Date.now();
try {
  const replay = values.seed !== undefined || values.verbose;
  const tally = await runSchedules(
    { redisUrl: redis.url, sshd },
    {
      seeds,
      lanes: positive('lanes', values.lanes) || 1,
      onResult: (line) => {
        if (replay || line.includes('VIOLATION')) process.stdout.write(`${line}\n`);
      },
      ...(replay ? { verbose: true } : {}),
    },
  );
  process.stdout.write(`${tally.summary()}\nwall time ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  process.exitCode = tally.failed.length ? 1 : 0;
} finally {
  await Promise.all([destroyPrivateRedis(redis), sshd.stop()]);
}
