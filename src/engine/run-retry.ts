import type { RefusalReason, Run, RunEvent, StepRecord } from './types.js';

/**
 * Retry step, as pure changes to a run draft (see transitions.ts): a failed run goes on from the
 * step that failed, when that step says it is safe to repeat (Step.retryable). The revert/keep
 * offer is withdrawn (a new failure makes a new one); a destructive step is approved again.
 */

/** The failed step of a failed forward run, if any. */
export function failedStep(run: Run): StepRecord | undefined {
  return run.status === 'failed' && run.phase === 'forward' ? run.steps.find((s) => s.status === 'failed') : undefined;
}

/** Why the failed step cannot be retried, or undefined. */
export function retryRefusal(run: Run): RefusalReason | undefined {
  if (run.status !== 'failed' || run.phase !== 'forward') return 'no_pending';
  const rec = failedStep(run);
  if (!rec) return 'no_pending';
  return rec.retryable ? undefined : 'not_retryable';
}

/**
 * The failed step (with fresh scratch state) and the steps skipped after it are pending again and
 * the run running. Its approvals stop counting when the step is destructive (with one approval
 * for the whole plan, all of them): a second person decides again on the estate as it is now.
 */
export function retryFailedStep(d: Run, by: string): RefusalReason | RunEvent {
  const refusal = retryRefusal(d);
  const rec = failedStep(d);
  if (refusal || !rec) return refusal ?? 'no_pending';
  const from = d.steps.indexOf(rec);
  for (const r of d.steps.slice(from)) {
    if (r !== rec && r.status !== 'skipped') continue;
    r.status = 'pending';
    r.state = {}; // a fresh attempt: a wait starts its clock again
    for (const k of ['error', 'endedAt', 'startedAt', 'budgetMs', 'retry', 'pause', 'resumed', 'overdue'] as const)
      delete r[k];
  }
  if (rec.destructive) {
    const forward = new Set(d.steps.map((s) => s.id));
    d.approvals = d.approvals.filter((a) => (d.approvalScope === 'plan' ? !forward.has(a.step) : a.step !== rec.id));
  }
  d.status = 'running';
  d.cursor = rec.id;
  delete d.error;
  delete d.endedAt;
  delete d.undoOffer;
  delete d.endAlarms;
  d.undoSteps = [];
  return { type: 'step_retried', step: rec.id, by };
}
