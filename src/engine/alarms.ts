import type { Run } from './types.js';
import { allRecords } from './transitions.js';

/**
 * The conditions a run has left raised: walking its done steps in order (forward, a stop's undos, then the revert's),
 * each step's `raises` sets a condition and a later `clears` lifts it. A forward step that was
 * undone is no longer done, so its condition is gone with it. Pure: the card calls it on every
 * render, from the run's own records (a runbook edited meanwhile cannot change the answer).
 */
export function raisedAlarms(run: Run): string[] {
  const raised = new Set<string>();
  for (const s of allRecords(run)) {
    // A step whose change landed raises its condition even if it failed or was cut short (see
    // StepRecord.landed); only a step that ended done clears one: a write whose read-back failed
    // (overridden) did not lift anything.
    const done = s.status === 'done';
    if (done || (s.landed && s.status !== 'undone')) for (const name of s.raises ?? []) raised.add(name);
    if (done) for (const name of s.clears ?? []) raised.delete(name);
  }
  for (const name of run.endAlarms ?? []) raised.add(name);
  return [...raised];
}
