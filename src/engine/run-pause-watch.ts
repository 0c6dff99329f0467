import { nextPauseWord } from './pause-watch.js';
import { takePause } from './run-pause.js';
import type { Run } from './types.js';
import { AGAIN, type Next, type WorkerDeps } from './worker-context.js';

/**
 * The worker's side of a person's pause (see run-pause.ts), called at a safe point (between
 * steps, or before a re-check of a wait) of a run with a pause asked. The first look stops the
 * run there and says what the estate is left in; then the job sleeps (no worker slot) until the
 * next reminder, at the growing intervals of a step's pause (I5: no pause lasts forever
 * unannounced). Resume wakes the job.
 */
export async function pauseWatch(deps: WorkerDeps, run: Run, rev: number, now: number): Promise<Next> {
  const hold = run.hold!;
  if (hold.since === undefined) {
    const taken = await deps.store.update(run.id, (d) => takePause(d, now));
    if (taken?.value) await deps.events.emit(taken.run, taken.value);
    return AGAIN;
  }
  const due = nextPauseWord({ prompt: '', action: 'done', at: hold.since, reminded: hold.reminded ?? 0 }, deps.pause);
  if (now < due) return { kind: 'delay', at: due, rev };
  const res = await deps.store.update(run.id, (d) => {
    const h = d.hold;
    if (!h || h.since !== hold.since || (h.reminded ?? 0) !== (hold.reminded ?? 0)) return false;
    h.reminded = (h.reminded ?? 0) + 1;
    return true;
  });
  if (res?.value)
    await deps.events.emit(res.run, { type: 'run_pause_reminder', by: hold.by, waitedMs: now - hold.since });
  return AGAIN;
}
