import type { Run } from './types.js';
import type { WorkerDeps } from './worker-context.js';

/**
 * I3 as a run ends: its runbook reads the conditions in force now (`Runbook.endAlarms`). Read
 * before the end is saved and saved in the same write (`d.endAlarms = ...`), so nobody ever sees
 * the run ended without them. A check that throws says nothing new (the runbook's own check
 * decides whether an unreadable estate counts as raised).
 */
export async function endAlarmsNow(deps: WorkerDeps, run: Run): Promise<string[] | undefined> {
  const runbook = deps.registry.get(run.runbook);
  if (!runbook?.endAlarms) return undefined;
  try {
    return await runbook.endAlarms(run);
  } catch (err) {
    deps.log.warn({ err, run: run.id }, 'end-of-run alarm check failed');
    return undefined;
  }
}

/** Puts the end alarms on the draft being ended (pure: safe to re-apply after a write conflict). */
export function setEndAlarms(d: Run, names: string[] | undefined): void {
  if (names !== undefined) d.endAlarms = names;
}
