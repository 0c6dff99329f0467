import type { Run } from './types.js';

/**
 * The conditions a run has left raised: walking its done steps in order (forward, then undo),
 * each step's `raises` sets a condition and a later `clears` lifts it. A forward step that was
 * undone is no longer done, so its condition is gone with it. Pure: the card calls it on every
 * render, from the run's own records (a runbook edited meanwhile cannot change the answer).
 */
export function raisedAlarms(run: Run): string[] {
  const raised = new Set<string>();
  for (const s of [...run.steps, ...run.undoSteps]) {
    if (s.status !== 'done') continue;
    for (const name of s.raises ?? []) raised.add(name);
    for (const name of s.clears ?? []) raised.delete(name);
  }
  return [...raised];
}
