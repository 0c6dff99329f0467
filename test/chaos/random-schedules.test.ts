import { expect, inject, test } from 'vitest';
import { knownFinding } from './known-findings.js';
import { runSchedules } from './run-schedules.js';

/**
 * How many seeded schedules every `npm test` runs (CHAOS_SCHEDULES overrides it);
 * `npm run chaos -- --schedules N` runs more. Each costs about 0.5 s of CPU here (a whole bot,
 * simulator and Slack stand-in per schedule, node commands over the real sshd): 200 take about 90 s
 * on this 2-core machine next to the other test files (issue 15 asks for at least 200 in every run).
 */
const SCHEDULES = Number(process.env.CHAOS_SCHEDULES ?? 200);
/** Where this file's seeds start: another base in CHAOS_SEED_BASE explores other schedules. */
const BASE = Number(process.env.CHAOS_SEED_BASE ?? 1);

test(`${SCHEDULES} random fault schedules keep I1–I5`, async () => {
  const seeds = Array.from({ length: SCHEDULES }, (_, i) => BASE + i);
  const tally = await runSchedules({ redisUrl: inject('redisUrl'), sshd: inject('sshd') }, { seeds });
  const known: string[] = [];
  const unknown: string[] = [];
  for (const r of tally.failed) {
    const fresh = r.violations.filter((v) => {
      const k = knownFinding(v, r);
      if (k) known.push(`seed ${r.seed}: ${k.id}`);
      return !k;
    });
    if (fresh.length) unknown.push(r.report);
  }
  console.log([tally.summary(), ...known.map((k) => `known finding, not failed: ${k}`)].join('\n'));
  expect(unknown.join('\n\n'), 'schedules that broke an invariant (replay each with its seed)').toBe('');
  expect(tally.schedules).toBe(SCHEDULES);
  // The invariants were checked all along, not only at the end.
  expect(tally.checks.I1).toBeGreaterThan(SCHEDULES * 10);
  expect(tally.checks.I3).toBeGreaterThanOrEqual(SCHEDULES / 2);
}, 300_000);
