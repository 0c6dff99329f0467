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

/**
 * None open. Fixed: F1 and F3 (a write that landed raises its alarm and offers its undo; the
 * effective enable is read as every run ends), F2 (the drain's live guard on every poll); their
 * seeds are replayed in known-findings.test.ts.
 */
export const KNOWN_FINDINGS: KnownFinding[] = [];

export const knownFinding = (v: Violation, r: ScheduleResult): KnownFinding | undefined =>
  KNOWN_FINDINGS.find((k) => k.matches(v, r));
