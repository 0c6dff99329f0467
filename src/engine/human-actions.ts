import type { AuditLog } from './audit-log.js';
import type { RunEvents } from './run-events.js';
import type { RunJobs } from './run-jobs.js';
import type { RunStore } from './run-store.js';
import { cancelPending, chooseRevert, currentRecord, endRun, hasEnded, liveStatus } from './transitions.js';
import { approvalsFor, requiredApprovals } from './plan-binding.js';
import { askPause, liftPause, pauseRefusal, resumeRefusal } from './run-pause.js';
import { retryFailedStep, retryRefusal } from './run-retry.js';
import type { ActionResult, ApproverPolicy, RefusalReason, Run, RunEvent } from './types.js';

export interface HumanActionDeps {
  store: RunStore;
  events: RunEvents;
  audit: AuditLog;
  jobs: RunJobs;
  approvers: ApproverPolicy;
  now: () => number;
}

type Decide = (d: Run) => RefusalReason | RunEvent;

/** What the clicked card showed: the step it asked for and the plan's hash (see plan-binding.ts). */
export interface ApprovalSeen {
  step: string;
  planHash?: string;
}

/**
 * What people do to a run from Slack: approve, deny, resume, cancel, revert, keep. Each one is
 * validated up front (cheap, and where the async approver policy is asked), then validated again
 * inside the atomic update, because a double click or a repeated delivery may be racing it. Only
 * the update that wins emits, audits and wakes the run's job.
 */
export class HumanActions {
  constructor(private readonly d: HumanActionDeps) {}

  /**
   * Two-person rule: an approver who is not the requester, before the request expires; for the
   * steps of a revert, also not the person who chose it (one person must not move the estate
   * back alone, approver or not). With `seen` (a card's button), the approval is for that step of
   * that plan only: a click from a card drawn before the plan changed is refused ('stale_card').
   */
  approve(runId: string, userId: string, seen?: ApprovalSeen): Promise<ActionResult> {
    return this.act('approve', runId, userId, {
      precheck: (run) => decisionRefusal(run, this.d.now()) ?? staleCard(run, seen) ?? ownDecision(run, userId),
      allowed: (run) => this.d.approvers.canApprove(userId, run, run.pendingApproval?.step ?? ''),
      decide: (step) => (d) => {
        const refusal =
          decisionRefusal(d, this.d.now()) ??
          staleCard(d, seen) ??
          ownDecision(d, userId) ??
          (d.pendingApproval?.step !== step ? 'already_decided' : undefined);
        if (refusal) return refusal;
        // N of M: one person counts once, and only for the plan as it is now.
        if (approvalsFor(d, step).some((a) => a.by === userId)) return 'already_approved';
        d.approvals.push({ step, by: userId, at: this.d.now(), ...(d.planHash ? { planHash: d.planHash } : {}) });
        const count = approvalsFor(d, step).length;
        const required = requiredApprovals(d);
        if (count >= required) {
          d.pendingApproval = undefined;
          d.status = liveStatus(d, 'running');
        }
        return { type: 'approved', step, by: userId, count, required };
      },
      step: (run) => run.pendingApproval?.step,
    });
  }

  /** An approver says no, or the requester withdraws: nothing more runs. */
  deny(runId: string, userId: string, reason?: string): Promise<ActionResult> {
    return this.act('deny', runId, userId, {
      precheck: (run) => decisionRefusal(run, this.d.now()),
      allowed: async (run) =>
        userId === run.requester || this.d.approvers.canApprove(userId, run, run.pendingApproval?.step ?? ''),
      decide: (step) => (d) => {
        const refusal =
          decisionRefusal(d, this.d.now()) ?? (d.pendingApproval?.step !== step ? 'already_decided' : undefined);
        if (refusal) return refusal;
        endRun(d, 'denied', this.d.now());
        return reason !== undefined ? { type: 'denied', by: userId, reason } : { type: 'denied', by: userId };
      },
      step: (run) => run.pendingApproval?.step,
    });
  }

  /** Done / Confirmed on a paused step: the step runs again and sees who answered. */
  resume(runId: string, userId: string): Promise<ActionResult> {
    const refusal = (run: Run): RefusalReason | undefined => {
      if (hasEnded(run) || cancelPending(run)) return 'already_decided';
      const rec = currentRecord(run);
      if (!rec?.pause) return 'no_pending';
      return rec.resumed ? 'already_decided' : undefined;
    };
    return this.act('resume', runId, userId, {
      precheck: refusal,
      allowed: (run) => this.requesterOrApprover(userId, run),
      decide: (step) => (d) => {
        const r = refusal(d) ?? (currentRecord(d)?.id !== step ? 'already_decided' : undefined);
        if (r) return r;
        const rec = currentRecord(d);
        if (rec) rec.resumed = { by: userId, at: this.d.now() };
        d.status = liveStatus(d, 'running');
        return { type: 'resumed', step, by: userId };
      },
      step: (run) => currentRecord(run)?.id,
    });
  }

  /**
   * Stops the run at the next safe point; a step call under way is aborted (see watchCall).
   * `revert`: "Cancel and revert", the undo of what the run changed is chosen as it stops.
   */
  cancel(runId: string, userId: string, opts: { revert?: boolean } = {}): Promise<ActionResult> {
    const refusal = (run: Run): RefusalReason | undefined =>
      hasEnded(run) || run.phase !== 'forward' || run.cancelRequested ? 'already_decided' : undefined;
    return this.act('cancel', runId, userId, {
      precheck: refusal,
      allowed: (run) => this.requesterOrApprover(userId, run),
      decide: () => (d) => {
        const r = refusal(d);
        if (r) return r;
        d.cancelRequested = { by: userId, at: this.d.now(), ...(opts.revert ? { revert: true } : {}) };
        delete d.hold; // a cancel ends a pause: the run stops (and may revert) now
        d.status = 'cancelling';
        return { type: 'cancel_requested', by: userId };
      },
      step: (run) => run.cursor ?? '',
    });
  }

  /**
   * A person's pause of the whole run: it stops at its next safe point (never inside a step call)
   * and keeps its lock. Same people as a cancel: the requester or an approver.
   */
  pauseRun(runId: string, userId: string): Promise<ActionResult> {
    return this.act('pause', runId, userId, {
      precheck: pauseRefusal,
      allowed: (run) => this.requesterOrApprover(userId, run),
      decide: () => (d) => askPause(d, userId, this.d.now()),
      step: (run) => run.cursor ?? '',
    });
  }

  /** Lifts a person's pause (or withdraws one not yet taken): the run goes on where it stopped. */
  resumeRun(runId: string, userId: string): Promise<ActionResult> {
    return this.act('resume_run', runId, userId, {
      precheck: resumeRefusal,
      allowed: (run) => this.requesterOrApprover(userId, run),
      decide: () => (d) => liftPause(d, userId, this.d.now()),
      step: (run) => run.cursor ?? '',
    });
  }

  /** Retry step: a failed run goes on from its failed step, if that step is safe to repeat. */
  retryStep(runId: string, userId: string): Promise<ActionResult> {
    return this.act('retry', runId, userId, {
      precheck: retryRefusal,
      allowed: (run) => this.requesterOrApprover(userId, run),
      decide: () => (d) => retryFailedStep(d, userId),
      step: (run) => run.cursor ?? '',
    });
  }

  /** After a cancel or failure: run the undo steps, newest first. */
  revert(runId: string, userId: string): Promise<ActionResult> {
    return this.act('revert', runId, userId, {
      precheck: (run) => offerRefusal(run, this.d.now()),
      allowed: (run) => this.requesterOrApprover(userId, run),
      decide: () => (d) => {
        const r = offerRefusal(d, this.d.now());
        if (r || !d.undoOffer) return r ?? 'no_pending';
        return chooseRevert(d, userId, this.d.now());
      },
      step: (run) => run.cursor ?? '',
    });
  }

  /** After a cancel or failure: leave things as they are. */
  keep(runId: string, userId: string): Promise<ActionResult> {
    return this.act('keep', runId, userId, {
      precheck: (run) => offerRefusal(run, this.d.now()),
      allowed: (run) => this.requesterOrApprover(userId, run),
      decide: () => (d) => {
        const r = offerRefusal(d, this.d.now());
        if (r || !d.undoOffer) return r ?? 'no_pending';
        d.undoOffer.decided = { by: userId, at: this.d.now(), choice: 'keep' };
        return { type: 'kept', by: userId };
      },
      step: (run) => run.cursor ?? '',
    });
  }

  private async requesterOrApprover(userId: string, run: Run): Promise<boolean> {
    return userId === run.requester || this.d.approvers.canApprove(userId, run, run.cursor ?? '');
  }

  private async act(
    action: string,
    runId: string,
    userId: string,
    spec: {
      precheck(run: Run): RefusalReason | undefined;
      allowed(run: Run): Promise<boolean>;
      /** Built for the step the precheck saw, so the update can tell if the question changed meanwhile. */
      decide(step: string): Decide;
      step(run: Run): string | undefined;
    },
  ): Promise<ActionResult> {
    const snap = await this.d.store.get(runId);
    if (!snap) return { ok: false, reason: 'unknown_run' };
    const run = snap.run;
    const early = spec.precheck(run) ?? ((await spec.allowed(run)) ? undefined : 'not_approver');
    if (early) return this.refuse(action, run, userId, early);
    const res = await this.d.store.update(runId, spec.decide(spec.step(run) ?? ''));
    if (!res) return { ok: false, reason: 'unknown_run' };
    if (typeof res.value === 'string') return this.refuse(action, res.run, userId, res.value);
    await this.d.events.emit(res.run, res.value);
    await this.d.jobs.wake(runId);
    return { ok: true };
  }

  /** Refusals are audited too; approve/deny refusals also reach Slack (to tell the clicker why). */
  private async refuse(action: string, run: Run, userId: string, reason: RefusalReason): Promise<ActionResult> {
    if (action === 'approve' || action === 'deny') {
      await this.d.events.emit(run, { type: 'approval_refused', by: userId, reason });
    } else {
      await this.d.audit.append({
        run: run.id,
        runbook: run.runbook,
        type: `${action}_refused`,
        user: userId,
        detail: { reason },
      });
    }
    return { ok: false, reason };
  }
}

/** The person asking to approve is the one whose decision this is: the requester, or the reverter. */
function ownDecision(run: Run, userId: string): RefusalReason | undefined {
  if (userId === run.requester) return 'self';
  if (run.phase === 'undo' && run.undoOffer?.decided?.choice === 'revert' && run.undoOffer.decided.by === userId)
    return 'reverter';
  return undefined;
}

/** The card clicked asked for another step, or showed another plan, than the one pending now. */
function staleCard(run: Run, seen: ApprovalSeen | undefined): RefusalReason | undefined {
  if (!seen) return undefined;
  if (seen.step !== run.pendingApproval?.step) return 'stale_card';
  return (seen.planHash ?? '') !== (run.planHash ?? '') ? 'stale_card' : undefined;
}

/** Why an approve/deny cannot be taken now, from the run alone. */
function decisionRefusal(run: Run, now: number): RefusalReason | undefined {
  if (run.status === 'expired') return 'expired';
  if (cancelPending(run)) return 'already_decided';
  const pending = run.pendingApproval;
  if (!pending) return hasEnded(run) || run.approvals.length > 0 ? 'already_decided' : 'no_pending';
  if (now >= pending.expiresAt) return 'expired';
  return undefined;
}

function offerRefusal(run: Run, now: number): RefusalReason | undefined {
  if (!run.undoOffer) return 'no_pending';
  if (run.undoOffer.decided) return 'already_decided';
  return now >= run.undoOffer.expiresAt ? 'expired' : undefined;
}
