import type { Run } from './types.js';
import type { WorkerDeps } from './worker-context.js';

/**
 * I3 as a run ends: its runbook reads the conditions in force now (`Runbook.endAlarms`), and
 * they are saved on the run before the end is reported, so the final card and its thread show
 * them whoever caused them. A check that cannot read says nothing new (the runbook's own check
 * decides whether an unreadable estate counts as raised).
 */
export async function withEndAlarms(deps: WorkerDeps, run: Run): Promise<Run> {
  const runbook = deps.registry.get(run.runbook);
  if (!runbook?.endAlarms) return run;
  let names: string[];
  try {
    names = await runbook.endAlarms(run);
  } catch (err) {
    deps.log.warn({ err, run: run.id }, 'end-of-run alarm check failed');
    return run;
  }
  if (!names.length && !run.endAlarms) return run;
  const res = await deps.store.update(run.id, (d) => {
    d.endAlarms = names;
    return true;
  });
  return res?.run ?? run;
}
