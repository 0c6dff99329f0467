import { newRecord, undoableSteps } from './runbook-registry.js';
import type { Run, RunStatus, RunStopping, Step, StepRecord } from './types.js';
import { approvalsFor, requiredApprovals } from './plan-binding.js';

/**
 * Pure changes to a run draft, shared by the worker and the human actions. Each is used inside
 * `RunStore.update`, which may call it again on a fresh copy after a write conflict, so none of
 * them has side effects; each re-checks its preconditions on the draft it is given.
 */

const ENDED: ReadonlySet<RunStatus> = new Set(['succeeded', 'failed', 'denied', 'expired', 'cancelled', 'reverted']);

/** The run reached an end status (it may still offer a revert: see `isSettled`). */
export function hasEnded(run: Run): boolean {
  return ENDED.has(run.status);
}

/** Nothing can happen to this run any more: its job may complete. */
export function isSettled(run: Run): boolean {
  return hasEnded(run) && !(run.undoOffer && !run.undoOffer.decided);
}

/** The records of the phase being walked: forward steps, or undo steps once revert was chosen. */
export function phaseRecords(run: Run): StepRecord[] {
  return run.phase === 'undo' ? run.undoSteps : run.steps;
}

/** The first step of the phase that has not finished: where a (restarted) worker continues. */
export function currentRecord(run: Run): StepRecord | undefined {
  return phaseRecords(run).find((r) => r.status === 'pending' || r.status === 'running');
}

/**
 * The records of the run in the order its steps run: forward, the undos a stop ran, then the
 * revert's once it was chosen (the undo records of an offer not yet taken are not part of it).
 */
export function allRecords(run: Run): StepRecord[] {
  return [...run.steps, ...(run.stopSteps ?? []), ...(run.phase === 'undo' ? run.undoSteps : [])];
}

export function findRecord(run: Run, id: string): StepRecord | undefined {
  return phaseRecords(run).find((r) => r.id === id);
}

export function cancelPending(run: Run): boolean {
  return run.phase === 'forward' && run.cancelRequested !== undefined;
}

/** Status while work is under way, keeping 'cancelling' and 'reverting' visible on the card. */
export function liveStatus(run: Run, status: 'running' | 'waiting' | 'paused'): RunStatus {
  if (cancelPending(run) || run.stopping?.status === 'cancelled') return 'cancelling';
  if (status === 'running' && run.phase === 'undo') return 'reverting';
  return status;
}

/** Whether `stepId` may run: enough distinct approvals of the current plan (see plan-binding.ts). */
export function hasApproval(run: Run, stepId: string): boolean {
  // Break-glass covers the forward steps; a revert of them is asked like any other.
  if (run.breakGlass && run.phase === 'forward') return true;
  return approvalsFor(run, stepId).length >= requiredApprovals(run);
}

/** Records an approval request for the current step; false when that no longer makes sense. */
export function requestApproval(d: Run, stepId: string, now: number, ttlMs: number): boolean {
  if (hasEnded(d) || cancelPending(d) || d.pendingApproval || hasApproval(d, stepId)) return false;
  if (currentRecord(d)?.id !== stepId) return false;
  d.pendingApproval = { step: stepId, requestedAt: now, expiresAt: now + ttlMs };
  d.status = 'awaiting_approval';
  d.cursor = stepId;
  return true;
}

/** Steps that will not run now: pending ones are skipped, a step caught mid-wait too. */
export function skipRemaining(d: Run, now: number): void {
  for (const r of phaseRecords(d)) {
    if (r.status === 'pending' || r.status === 'running') {
      if (r.status === 'running') r.endedAt = now;
      r.status = 'skipped';
    }
  }
  d.cursor = undefined;
}

/** Ends the run with `status`; nothing more runs. */
export function endRun(d: Run, status: 'denied' | 'expired' | 'succeeded' | 'reverted', now: number): void {
  d.status = status;
  d.pendingApproval = undefined;
  skipRemaining(d, now);
  d.endedAt = now;
}

/**
 * After a cancel or a failure in the forward phase: if done steps have an undo, prepare the undo
 * records and open the revert/keep offer. Returns the undoable forward step ids, newest first.
 */
function offerUndo(d: Run, index: Map<string, Step>, now: number, offerTtlMs: number): string[] {
  if (d.phase !== 'forward') return [];
  const undo = undoableSteps(d, index);
  if (undo.length === 0) return [];
  d.undoOffer = { undoable: undo.map((u) => u.forward), expiresAt: now + offerTtlMs, offeredAt: now };
  d.undoSteps = undo.map((u) => newRecord(u.undo, u.forward));
  return d.undoOffer.undoable;
}

export interface EndContext {
  index: Map<string, Step>;
  now: number;
  offerTtlMs: number;
}

/**
 * A forward run stopping early whose runbook takes some changes back on any stop (`undoOnStop`):
 * those undos become its undo phase now, newest first, with no offer and no approval; the run
 * ends once they ran (`finishStop`). False when there is none (the run ends at once).
 */
function beginStop(d: Run, stop: Omit<RunStopping, 'undoing'>, c: EndContext): boolean {
  if (d.phase !== 'forward') return false;
  const auto = undoableSteps(d, c.index).filter((u) => c.index.get(u.forward)?.undoOnStop);
  if (!auto.length) return false;
  d.stopping = { ...stop, undoing: auto.map((u) => u.forward) };
  d.phase = 'undo';
  d.undoSteps = auto.map((u) => newRecord(u.undo, u.forward));
  d.pendingApproval = undefined;
  d.cursor = d.undoSteps[0]!.id;
  d.status = liveStatus(d, 'running');
  return true;
}

/**
 * The undos a stop always runs are done (or `failure` says how one failed): the run ends as it
 * was stopping, cancelled or failed, and Revert or Keep is offered for the rest. Returns the
 * undoable ids, as `failRun` and `cancelRun` do.
 */
export function finishStop(d: Run, c: EndContext, failure?: string): string[] {
  const stop = d.stopping!;
  skipRemaining(d, c.now); // the stop's undo records still pending, after a failure among them
  delete d.stopping;
  // What the stop took back stays on record (the card lists it, the alarms walk it).
  d.stopSteps = [...(d.stopSteps ?? []), ...d.undoSteps];
  d.undoSteps = [];
  d.phase = 'forward';
  const error = [stop.error ?? (failure ? 'cancelled' : undefined), failure].filter(Boolean).join('; then ');
  // A cancel whose own clean-up failed ended in a failure: what is left raised is an alarm.
  return endStopped(d, failure ? 'failed' : stop.status, error || undefined, c);
}

/**
 * The one ending of a run stopped early (failed or cancelled, with no stop undos left to run):
 * it ends as `status`, Revert or Keep is offered for what it changed, and a "Cancel and revert"
 * chooses the revert at once (same person). Returns the undoable forward step ids.
 */
function endStopped(d: Run, status: 'failed' | 'cancelled', error: string | undefined, c: EndContext): string[] {
  d.status = status;
  if (error) d.error = error;
  d.pendingApproval = undefined;
  d.endedAt = c.now;
  const undoable = offerUndo(d, c.index, c.now, c.offerTtlMs);
  const revertNow = status === 'cancelled' && d.cancelRequested?.revert && d.undoOffer && !d.undoOffer.decided;
  if (revertNow) chooseRevert(d, d.cancelRequested!.by, c.now);
  return undoable;
}

/**
 * Fails the run (at `stepId` when a step failed). Returns the undoable ids, or undefined if it had
 * already ended or first runs the undos it always runs on a stop (then `finishStop` ends it).
 */
export function failRun(d: Run, stepId: string | undefined, error: string, c: EndContext): string[] | undefined {
  if (hasEnded(d)) return undefined;
  const rec = stepId ? findRecord(d, stepId) : undefined;
  if (rec) {
    rec.status = 'failed';
    rec.error = error;
    rec.endedAt = c.now;
  }
  // One of the stop's own undos failed: the run ends as it was stopping, saying so.
  if (d.stopping) return finishStop(d, c, `${rec?.title ?? 'taking a change back'} failed: ${error}`);
  skipRemaining(d, c.now);
  if (beginStop(d, { status: 'failed', ...(stepId ? { step: stepId } : {}), error }, c)) return undefined;
  return endStopped(d, 'failed', error, c);
}

/**
 * Revert chosen on an open offer: the undo records run next, newest change first. Returns the
 * event to emit (the undo step ids in the order they run).
 */
export function chooseRevert(d: Run, by: string, now: number): { type: 'reverting'; by: string; steps: string[] } {
  d.undoOffer!.decided = { by, at: now, choice: 'revert' };
  d.phase = 'undo';
  d.status = 'reverting';
  d.error = undefined;
  d.endedAt = undefined;
  d.cursor = d.undoSteps[0]?.id;
  return { type: 'reverting', by, steps: d.undoSteps.map((s) => s.id) };
}

/**
 * Stops a run whose cancel was requested. Returns the undoable ids, or undefined if it had already
 * ended or first runs the undos it always runs on a stop. A cancel asked as "Cancel and revert"
 * chooses the revert at once (same person).
 */
export function cancelRun(d: Run, c: EndContext): string[] | undefined {
  if (hasEnded(d) || !cancelPending(d)) return undefined;
  skipRemaining(d, c.now);
  if (beginStop(d, { status: 'cancelled' }, c)) return undefined;
  return endStopped(d, 'cancelled', undefined, c);
}
