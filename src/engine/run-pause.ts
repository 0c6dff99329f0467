import { allRecords, cancelPending, currentRecord, hasEnded } from './transitions.js';
import type { RefusalReason, Run, RunEvent, StepRecord } from './types.js';

/**
 * A person's pause of a whole run (Pause on the card, `/ops pause RUN`), as pure changes to a run
 * draft (see transitions.ts). Asked at any time while the run works; taken by the worker at its
 * next safe point, between two steps or two re-checks of a wait, never inside a step call. A
 * paused run keeps its lock and holds no worker slot (its job sleeps until the next reminder).
 */

/** Why the run cannot be paused now, or undefined. */
export function pauseRefusal(run: Run): RefusalReason | undefined {
  if (hasEnded(run) || cancelPending(run) || run.hold) return 'already_decided';
  // Waiting for an approval or a person's Done: nothing runs until then anyway.
  return run.status === 'running' || run.status === 'waiting' || run.status === 'reverting' ? undefined : 'no_pending';
}

/** Records the pause request; the worker takes it at the next safe point. */
export function askPause(d: Run, by: string, now: number): RefusalReason | RunEvent {
  const refusal = pauseRefusal(d);
  if (refusal) return refusal;
  d.hold = { by, at: now };
  return { type: 'pause_requested', by };
}

/**
 * What the estate is left in while the run stands still: the summary of each step of the run
 * that changed something (a destructive step done, or whose change landed), in order, and the
 * figures of the wait it stopped in. Derived from what the steps themselves wrote.
 */
export function estateLeft(run: Run): string[] {
  const changed = (r: StepRecord) =>
    (r.destructive || (r.raises?.length ?? 0) > 0) && (r.status === 'done' || r.landed === true);
  const records = allRecords(run);
  const lines = records.filter(changed).map((r) => (r.summary ? `${r.title}: ${r.summary}` : r.title));
  const current = currentRecord(run);
  if (current?.status === 'running' && current.progress?.text)
    lines.push(`${current.title} (stopped between checks): ${current.progress.text}`);
  return lines.length ? lines : ['nothing changed by this run yet'];
}

/** The worker reached a safe point with a pause asked: the run stops here. */
export function takePause(d: Run, now: number): Extract<RunEvent, { type: 'run_paused' }> | undefined {
  if (!d.hold || d.hold.since !== undefined || hasEnded(d) || cancelPending(d)) return undefined;
  const step = currentRecord(d)?.id;
  d.hold.since = now;
  if (step) d.hold.step = step;
  d.hold.estate = estateLeft(d);
  d.status = 'paused';
  return { type: 'run_paused', by: d.hold.by, ...(step ? { step } : {}), estate: d.hold.estate };
}

/** Why the run cannot be resumed now, or undefined. */
export function resumeRefusal(run: Run): RefusalReason | undefined {
  if (hasEnded(run)) return 'already_decided';
  return run.hold ? undefined : 'no_pending';
}

/**
 * Lifts the pause (or withdraws one not yet taken). The step it stopped in gets the paused time
 * added to its budget, so the watchdog does not count the pause as the step being slow.
 */
export function liftPause(d: Run, by: string, now: number): RefusalReason | RunEvent {
  const refusal = resumeRefusal(d);
  if (refusal || !d.hold) return refusal ?? 'no_pending';
  const since = d.hold.since;
  delete d.hold;
  if (since === undefined) return { type: 'run_resumed', by };
  const pausedMs = now - since;
  const rec = currentRecord(d);
  if (rec?.status === 'running' && rec.budgetMs !== undefined) rec.budgetMs += pausedMs;
  const waitsForPerson = rec?.pause !== undefined && !rec.resumed;
  d.status = waitsForPerson ? 'paused' : d.phase === 'undo' ? 'reverting' : 'running';
  return { type: 'run_resumed', by, pausedMs };
}
