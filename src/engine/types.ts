// The runbook side of the types (Step, StepContext, Runbook...) lives in runbook-types.ts; re-exported here.
export type * from './runbook-types.js';

/** What the requester asked for: fixed when the run is created. */
export interface RunRef {
  id: string;
  runbook: string;
  params: Record<string, unknown>;
  /** Slack user id of whoever asked; never allowed to approve their own run. */
  requester: string;
  team?: string;
  channel: string;
  cluster?: string;
  /** The parent message: the run's thread. */
  message?: { channel: string; ts: string };
  /** The command as typed (slash and text): what Re-run asks again, as the person who presses it. */
  command?: { slash: string; text: string };
  /** On a re-run: the run it repeats. */
  rerunOf?: string;
  /** Break-glass: a policy responder runs it alone (no approval of its forward steps), saying why. */
  breakGlass?: { by: string; reason: string };
  createdAt: number;
}

export type RunStatus =
  | 'awaiting_approval'
  | 'running'
  | 'waiting' /* delayed re-check or retry backoff */
  | 'paused' /* waiting for a human Done/Confirm */
  | 'succeeded'
  | 'failed'
  | 'denied'
  | 'expired'
  | 'cancelling' /* cancel requested; the worker stops at the next safe point */
  | 'cancelled'
  | 'reverting'
  | 'reverted';

export type StepStatus = 'pending' | 'running' | 'done' | 'skipped' | 'failed' | 'undone';

export interface StepRecord {
  id: string;
  title: string;
  destructive: boolean;
  status: StepStatus;
  startedAt?: number;
  endedAt?: number;
  summary?: string;
  /** Calls of `run()` so far (re-checks and retries included). */
  attempts: number;
  /** Step-scoped scratch, saved after every call. */
  state: Record<string, unknown>;
  error?: string;
  /** Last progress reported, so a redrawn card shows it after a restart. */
  progress?: Progress;
  /** Present while retryable errors repeat: when the outage began and what it looks like. */
  retry?: { since: number; failures: number; lastError: string };
  /**
   * The question the step is waiting on (status paused): since `at`, its button's label if not
   * Done/Confirmed, its deadline, how many reminders the thread has had, and since when the
   * deadline is past (announced once).
   */
  pause?: {
    prompt: string;
    action: 'done' | 'confirm';
    at: number;
    label?: string;
    /** The card offers "Cancel and revert" beside the resume button. */
    offerRevert?: boolean;
    deadlineAt?: number;
    reminded?: number;
    overdueSince?: number;
  };
  /** How long the step may run, re-checks included, before the watchdog says so (set when it starts). */
  budgetMs?: number;
  /** Set by the watchdog once the step ran past `budgetMs`: the card shows it while the step runs. */
  overdue?: { at: number };
  /** Who pressed Done/Confirm; the step runs again and sees it as `ctx.resumed`. */
  resumed?: { by: string; at: number };
  /**
   * Set by `ctx.landed()`: the step's change reached the estate, whether or not the step ends done
   * (a write accepted, then a failed read-back or a cancel during its retries). Its `raises` count
   * and its undo is offered as for a done step.
   */
  landed?: boolean;
  /**
   * Set by `ctx.intent()` before the step changes the estate (a restart sent, a setting written):
   * what it is about to do and when. A call that finds it without the step's own record of the
   * effect (a worker that died in between) looks at the estate before doing anything again.
   */
  intent?: { what: string; at: number };
  /** For undo records: the forward step this one compensates. */
  undoOf?: string;
  /** Copied from the Step: the conditions this step raises and clears once done (see Alarm). */
  raises?: string[];
  clears?: string[];
  /** Copied from the Step: safe to run again after it failed (the card's Retry step). */
  retryable?: boolean;
}

/** A pause of the whole run by a person (Pause, /ops pause): see run-pause.ts. */
export interface RunHold {
  by: string;
  /** When it was asked. */
  at: number;
  /** When the run reached a safe point and stopped; unset while it is still pausing. */
  since?: number;
  /** The step the run stopped before (or in, between re-checks of a wait). */
  step?: string;
  /** What the estate is left in, from what the run's steps wrote (e.g. "exclude._ip = 10.0.0.3"). */
  estate?: string[];
  /** Reminders given in the thread so far. */
  reminded?: number;
}

/** One person's approval of a step; `planHash` is the plan they saw (see Run.planHash). */
export interface Approval {
  step: string;
  by: string;
  at: number;
  planHash?: string;
  /** Set when the step it was for came to run more than maxApprovalAge after it: it counts no more. */
  agedOutAt?: number;
}
export interface PendingApproval {
  step: string;
  requestedAt: number;
  expiresAt: number;
  /** Reminders given in the thread so far (see nextWaitWord). */
  reminded?: number;
}

/** After a cancel or failure with undoable steps: the humans choose revert or keep. */
export interface UndoOffer {
  undoable: string[];
  expiresAt: number;
  /** When it was opened (unset on offers older than the reminders): reminders count from here. */
  offeredAt?: number;
  /** Reminders given in the thread so far (see nextWaitWord). */
  reminded?: number;
  decided?: { by: string; at: number; choice: 'revert' | 'keep' };
}

export interface Run extends RunRef {
  status: RunStatus;
  /** One-line plan from `runbook.summary(params)`, for the plan card. */
  summary: string;
  /** Id of the current (or next) step; absent once nothing is left to run. */
  cursor?: string;
  /** From the runbook: what one approval covers (see Runbook.approval). */
  approvalScope?: 'step' | 'plan';
  /** 'undo' once revert() was chosen: the engine then walks `undoSteps`. */
  phase: 'forward' | 'undo';
  steps: StepRecord[];
  /** Undo records, in the order they run (reverse of the forward order). */
  undoSteps: StepRecord[];
  /** The undos a stop ran (`undoOnStop`) before the run ended, kept once the rest is offered. */
  stopSteps?: StepRecord[];
  approvals: Approval[];
  pendingApproval?: PendingApproval;
  /** Distinct approvers (never the requester) a destructive step needs: N of the approvers list. */
  approvalsRequired?: number;
  /** Which policy rule applies (e.g. "es drain"): lets the approver policy find who may approve. */
  policyKey?: string;
  /** The preflight facts shown on the card when approval was asked (see Runbook.facts). */
  planFacts?: Record<string, string>;
  /** The facts at request time, kept when a changed plan replaced planFacts (unset: planFacts). */
  requestFacts?: Record<string, string>;
  /** Hash of runbook, params and planFacts: an approval counts only for the plan it was given to. */
  planHash?: string;
  /**
   * The facts as the run's own destructive steps left them, read after `after` finished: what the
   * facts read before the next destructive step are compared with (see plan-binding.ts). Unset: planFacts.
   */
  ownFacts?: { after: string; facts: Record<string, string> };
  /** Held lock (see Runbook.lock), released implicitly when the run ends. */
  lock?: string;
  /**
   * Queued behind the run that held its lock when it was asked (see run-queue.ts): it takes the
   * lock (then `lock` is set and this cleared) when that run lets go; nothing runs before.
   */
  queued?: { lock: string; behind: string; since: number };
  /** `revert`: asked as "Cancel and revert": the undo is chosen as the run stops. */
  cancelRequested?: { by: string; at: number; revert?: boolean };
  /** A person paused the whole run (see run-pause.ts): it stops at its next safe point and keeps its lock. */
  hold?: RunHold;
  undoOffer?: UndoOffer;
  /**
   * A run stopping early (cancelled or failed) while the undos its runbook always runs on a stop
   * (`undoOnStop`) run first, as its undo phase; then it ends as `status`, offering the rest.
   */
  stopping?: RunStopping;
  outputs: Record<string, unknown>;
  /** Conditions found in force as the run ended (Runbook.endAlarms), shown with the raised ones. */
  endAlarms?: string[];
  error?: string;
  updatedAt: number;
  endedAt?: number;
}

export interface RunStopping {
  status: 'failed' | 'cancelled';
  /** The failed step and why, for a failure. */
  step?: string;
  error?: string;
  /** The forward steps whose undo runs now, newest first. */
  undoing: string[];
}

export type Progress = Record<string, unknown> & { fraction?: number; text?: string };

export type RefusalReason =
  | 'self'
  /** Retry step on a step that is not safe to repeat: Re-run (a fresh plan) is the way. */
  | 'not_retryable'
  /** Chose the revert: its undo needs another person, as the run's own steps did. */
  | 'reverter'
  | 'not_approver'
  | 'expired'
  | 'already_decided'
  | 'no_pending'
  | 'already_approved'
  /** The click came from a card showing another step or plan than the one pending now. */
  | 'stale_card';

export type RunEvent =
  | { type: 'created' }
  | { type: 'approval_requested'; step: string; expiresAt: number }
  | {
      type: 'approved';
      step: string;
      by: string;
      /** Approvals so far and needed (N of M). */ count?: number;
      required?: number;
    }
  | { type: 'plan_changed'; step: string; changes: { key: string; before?: string; after?: string }[] }
  /** The step came to run more than `maxAgeMs` after these approvals: they no longer count. */
  | { type: 'approvals_aged'; step: string; approvers: string[]; maxAgeMs: number }
  | { type: 'approval_refused'; by: string; reason: RefusalReason }
  /** Run alone by a policy responder: announced on the card and in the audit log. */
  | { type: 'break_glass'; by: string; reason: string }
  | { type: 'denied'; by: string; reason?: string }
  /** Nobody approved before the request expired; `afterMs`: how long it was open. */
  | { type: 'expired'; step: string; afterMs?: number }
  /** A pending approval or an open Revert offer still unanswered: said again at growing intervals. */
  | { type: 'approval_reminder'; step: string; waitedMs: number; expiresAt: number }
  | { type: 'undo_offer_reminder'; waitedMs: number; expiresAt: number }
  | { type: 'step_started'; step: string }
  | { type: 'step_done'; step: string; summary?: string }
  | { type: 'progress'; step: string; progress: Progress }
  | { type: 'note'; step: string; text: string; level: 'info' | 'warning' }
  | { type: 'paused'; step: string; prompt: string; action: 'done' | 'confirm' }
  | { type: 'resumed'; step: string; by: string }
  /** Pause of the whole run: asked, taken at a safe point (with the estate it leaves), lifted. */
  | { type: 'pause_requested'; by: string }
  | { type: 'run_paused'; by: string; step?: string; estate: string[] }
  | { type: 'run_resumed'; by: string; pausedMs?: number }
  /** A paused run still paused: said again in its thread at growing intervals (I5). */
  | { type: 'run_pause_reminder'; by: string; waitedMs: number }
  /** Retry step: the failed step runs again (after a fresh approval if destructive). */
  | { type: 'step_retried'; step: string; by: string }
  /** Re-run asked on this (ended) run: `run` is the new run, unset when its plan was refused. */
  | { type: 'rerun'; by: string; run?: string }
  /** A pause still unanswered: a reminder, or (overdue) its deadline passed. */
  | { type: 'pause_reminder'; step: string; waitedMs: number; overdue: boolean; deadlineAt?: number }
  /** The watchdog: the step has run past its budget (I5). */
  | { type: 'overdue'; step: string; budgetMs: number; runningMs: number }
  | { type: 'succeeded' }
  | { type: 'failed'; step?: string; error: string; undoable: string[] /* done steps with undo, reverse order */ }
  | { type: 'cancel_requested'; by: string }
  | { type: 'cancelled'; by: string; undoable: string[] }
  | { type: 'reverting'; by: string; steps: string[] /* undo step ids, in the order they run */ }
  | { type: 'kept'; by: string /* 'timeout' when nobody chose before the offer expired */ }
  | { type: 'reverted'; by: string }
  /** Nothing changed: the card is drawn again from the saved run (a worker that died before reporting). */
  | { type: 'redraw' };

/** Implemented by the Slack room. May throw: the engine logs and continues (the reporter owns its retries). */
export interface RunReporter {
  /**
   * On 'created' the reporter posts the run's card and returns where (the run's thread); the
   * engine records it on the run. Other events return nothing.
   */
  onEvent(run: Run, event: RunEvent): Promise<CardRef | void>;
  /**
   * Whether the run's card shows this state of the ended run (or a later one), drawing it again
   * if no process is about to (the one that would have died with it). False while it could not
   * within `timeoutMs`: the engine asks again later, so that no card stays "Running" for good.
   * Without it, a reporter's cards are taken as shown once its events were delivered.
   */
  showsEnd?(run: Run, timeoutMs: number): Promise<boolean>;
}

/** Where a run's card (its thread's parent message) was posted. */
export interface CardRef {
  channel: string;
  ts: string;
}

/** Who may approve (later: groups, N-of-M). */
export interface ApproverPolicy {
  canApprove(userId: string, run: Run, stepId: string): Promise<boolean>;
}

export type ActionResult =
  | { ok: true }
  | { ok: false; reason: RefusalReason | 'unknown_run' }
  /** Revert refused: another run holds the lock (named, with what to do). */
  | { ok: false; reason: 'locked'; holder: Run };

/** When a waiting pause is brought up again in its thread (see nextPauseWord). */
export interface PauseReminders {
  /** The first reminder, this long after the pause; each next one twice as far, at most maxMs apart. */
  firstMs: number;
  maxMs: number;
  /** A pause's deadline unless its step sets one (StepOutcome pause `deadlineMs`). */
  deadlineMs: number;
}

export interface RetryPolicy {
  /** First backoff after a retryable error; doubles each time. */
  baseMs: number;
  maxMs: number;
  /** Continuous failure for this long fails the run. */
  giveUpAfterMs: number;
}
