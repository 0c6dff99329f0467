import type { ScheduleResult, Violation } from '../../src/sim/chaos/index.js';

/**
 * Bot bugs the chaos suite found and reported (/tmp/chaos-findings.md, the lead's queue), that are
 * not fixed yet. A violation that matches one is counted and printed, not failed, so the suite
 * keeps guarding every other invariant meanwhile; the finding's own replay is an `it.fails` in
 * known-findings.test.ts, which starts failing the day the fix lands (then delete the entry).
 */
export interface KnownFinding {
  id: string;
  /** A seed that shows it, for the replay. */
  seed: number;
  matches(v: Violation, r: ScheduleResult): boolean;
}

export const KNOWN_FINDINGS: KnownFinding[] = [
  {
    // A transient `enable: none` set by someone else mid-run: the run fails loudly but raises no alarm.
    id: 'F1 (I3): failed on a transient enable override, no alarm',
    seed: 19,
    matches: (v, r) => v.invariant === 'I3' && r.faults.includes('transient-override') && /enable=none/.test(v.what),
  },
  {
    // The drain's exclusion entry removed by someone else: "empty: safe to stop" with copies back on the node.
    id: 'F2 (I2): "empty" after the exclusion was removed by someone else',
    seed: 14,
    matches: (v, r) => v.invariant === 'I2' && r.faults.includes('exclusion-removed') && /holds /.test(v.what),
  },
];

export const knownFinding = (v: Violation, r: ScheduleResult): KnownFinding | undefined =>
  KNOWN_FINDINGS.find((k) => k.matches(v, r));
