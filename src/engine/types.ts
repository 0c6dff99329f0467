import type { Logger } from '../log.js';

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
  /** The question the step is waiting on (status paused). */
  pause?: { prompt: string; action: 'done' | 'confirm'; at: number };
  /** Who pressed Done/Confirm; the step runs again and sees it as `ctx.resumed`. */
  resumed?: { by: string; at: number };
  /** For undo records: the forward step this one compensates. */
  undoOf?: string;
}

/** One person's approval of a step; `planHash` is the plan they saw (see Run.planHash). */
export interface Approval {
  step: string;
  by: string;
  at: number;
  planHash?: string;
}
export interface PendingApproval {
  step: string;
  requestedAt: number;
  expiresAt: number;
}

/** After a cancel or failure with undoable steps: the humans choose revert or keep. */
export interface UndoOffer {
  undoable: string[];
  expiresAt: number;
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
  approvals: Approval[];
  pendingApproval?: PendingApproval;
  /** Distinct approvers (never the requester) a destructive step needs: N of the approvers list. */
  approvalsRequired?: number;
  /** Which policy rule applies (e.g. "es drain"): lets the approver policy find who may approve. */
  policyKey?: string;
  /** The preflight facts shown on the card when approval was asked (see Runbook.facts). */
  planFacts?: Record<string, string>;
  /** Hash of runbook, params and planFacts: an approval counts only for the plan it was given to. */
  planHash?: string;
  /** Held lock (see Runbook.lock), released implicitly when the run ends. */
  lock?: string;
  cancelRequested?: { by: string; at: number };
  undoOffer?: UndoOffer;
  outputs: Record<string, unknown>;
  error?: string;
  updatedAt: number;
  endedAt?: number;
}

export interface StepContext {
  run: Run;
  step: StepRecord;
  /** Step-scoped scratch, persisted after every call (baseline health, start time, last bytes seen). */
  state: Record<string, unknown>;
  /** How many times this step ran before this call (0 on the first call). */
  attempt: number;
  /** Set when a human pressed Done/Confirm on this step's pause. */
  resumed?: { by: string; at: number };
  now(): number;
  log: Logger;
  /** Live card update; the reporter throttles. */
  progress(p: Progress): Promise<void>;
  /** Thread reply. `once` is a dedupe key: posted once per run, even across worker restarts. */
  note(text: string, opts?: { level?: 'info' | 'warning'; once?: string }): Promise<void>;
  /** Aborted on worker shutdown: long calls may return early; the step will be called again. */
  signal: AbortSignal;
}

export type StepOutcome =
  | { status: 'done'; summary?: string; output?: Record<string, unknown> /* merged into run.outputs */ }
  | { status: 'wait'; recheckInMs: number } // re-run this step later via a delayed job: no worker slot held
  | { status: 'pause'; prompt: string; action: 'done' | 'confirm' } // wait for a human Done/Confirmed
  | { status: 'fail'; reason: string }; // stop the run, failed

export interface Step {
  /** Stable string id, never an index: runs in flight survive a runbook that gains a step. */
  id: string;
  /** The runbook's own line. */
  title: string;
  /** Needs an approval (two-person rule) before it runs. */
  destructive?: boolean;
  run(ctx: StepContext): Promise<StepOutcome>;
  /** Compensation, offered on cancel/fail. Its id must be unique within the runbook too. */
  undo?: Step;
}

export interface Runbook<P = Record<string, unknown>> {
  name: string;
  /**
   * 'step' (default): every destructive step waits for its own approval. 'plan': one approval of
   * the plan card approves every destructive forward step listed on it (a rolling restart is one
   * decision, not twelve); undo steps still need their own.
   */
  approval?: 'step' | 'plan';
  summary(params: P): string;
  steps: Step[] | ((params: P) => Step[]);
  /**
   * The facts an approver decides on (node IP, exclusion list, transient settings...), read from
   * the estate now. Read when the run is created and again before each destructive step: if they
   * changed, the approvals are void and the card asks again, saying what changed.
   */
  facts?(params: P): Promise<Record<string, string>>;
  /** A lock name (e.g. "es-allocation:prod"): two runs holding the same lock never run at once. */
  lock?(params: P): string | undefined;
}

/**
 * A runbook of any parameter type. The engine stores params as JSON and hands them back only
 * to the runbook that made them, so it need not know their shape.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyRunbook = Runbook<any>;

export type Progress = Record<string, unknown> & { fraction?: number; text?: string };

export type RefusalReason = 'self' | 'not_approver' | 'expired' | 'already_decided' | 'no_pending' | 'already_approved';

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
  | { type: 'approval_refused'; by: string; reason: RefusalReason }
  | { type: 'denied'; by: string; reason?: string }
  | { type: 'expired'; step: string }
  | { type: 'step_started'; step: string }
  | { type: 'step_done'; step: string; summary?: string }
  | { type: 'progress'; step: string; progress: Progress }
  | { type: 'note'; step: string; text: string; level: 'info' | 'warning' }
  | { type: 'paused'; step: string; prompt: string; action: 'done' | 'confirm' }
  | { type: 'resumed'; step: string; by: string }
  | { type: 'succeeded' }
  | { type: 'failed'; step?: string; error: string; undoable: string[] /* done steps with undo, reverse order */ }
  | { type: 'cancel_requested'; by: string }
  | { type: 'cancelled'; by: string; undoable: string[] }
  | { type: 'reverting'; by: string; steps: string[] /* undo step ids, in the order they run */ }
  | { type: 'kept'; by: string /* 'timeout' when nobody chose before the offer expired */ }
  | { type: 'reverted'; by: string };

/** Implemented by the Slack room. May throw: the engine logs and continues (the reporter owns its retries). */
export interface RunReporter {
  onEvent(run: Run, event: RunEvent): Promise<void>;
}

/** Who may approve (later: groups, N-of-M). */
export interface ApproverPolicy {
  canApprove(userId: string, run: Run, stepId: string): Promise<boolean>;
}

export type ActionResult = { ok: true } | { ok: false; reason: RefusalReason | 'unknown_run' };

export interface RetryPolicy {
  /** First backoff after a retryable error; doubles each time. */
  baseMs: number;
  maxMs: number;
  /** Continuous failure for this long fails the run. */
  giveUpAfterMs: number;
}
