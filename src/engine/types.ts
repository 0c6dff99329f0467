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
  /** Copied from the Step: the conditions this step raises and clears once done (see Alarm). */
  raises?: string[];
  clears?: string[];
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

/**
 * What one call of a step gets. `P` is its runbook's params (the compiler checks them where the
 * run is started, `engine.start(runbook, params, ...)`), `S` the step's own scratch state.
 */
export interface StepContext<P = Params, S extends object = Record<string, unknown>> {
  run: Run;
  /** The run's params, typed: the params its runbook was started with. */
  params: P;
  step: StepRecord;
  /**
   * Step-scoped scratch, persisted after every call (baseline health, start time, last bytes
   * seen). Empty on the first call, hence every field optional.
   */
  state: Partial<S>;
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

export interface Step<P = Params, S extends object = Record<string, unknown>> {
  /** Stable string id, never an index: runs in flight survive a runbook that gains a step. */
  id: string;
  /** The runbook's own line. */
  title: string;
  /** Needs an approval (two-person rule) before it runs. */
  destructive?: boolean;
  /**
   * The estate conditions this step leaves behind once done (e.g. "allocation-disabled"), which
   * a later step `clears`. A run that ends with one raised shows the runbook's alarm for it.
   */
  raises?: readonly string[];
  clears?: readonly string[];
  // Method syntax on purpose: a Step<P, DrainState> is then usable where a Step<P> is expected.
  run(ctx: StepContext<P, S>): Promise<StepOutcome>;
  /** Compensation, offered on cancel/fail. Its id must be unique within the runbook too. */
  undo?: Step<P>;
}

/** Params as the engine stores them: a JSON object. Runbooks see their own type (`ctx.params`). */
export type Params = Record<string, unknown>;

/**
 * A runbook's name and params type, without its steps: what starts a run, registers a card and
 * a follow-up button (`engine.start(drain, params, ...)`). Declared once per runbook; the
 * compiler then refuses params of another runbook. `params` is never set: it only carries P.
 */
export interface RunbookRef<P> {
  readonly name: string;
  readonly params?: (p: P) => P;
}

/**
 * An estate condition a run can leave behind (raised by a step's `raises`, cleared by a later
 * step's `clears`), declared by the runbook: the card shows it, in the runbook's words, while
 * the run is in flight (`during`) and once it ended with the condition still raised (`ended`).
 */
export interface Alarm<P> {
  /** What is wrong, said loud, e.g. "Shard movement is still DISABLED on cluster prod". */
  title(params: P): string;
  /** What follows the title, e.g. " (`cluster.routing.allocation.enable: none`)." */
  detail(params: P): string;
  /** The title of the undo that lifts it, when the card's Revert is on offer ("Enable shard movement"). */
  revert: string;
  /** The way out without Revert, e.g. "request `/es allocation all --cluster prod`". */
  fix(params: P): string;
  /** The way out when Revert is not on offer, if it says more than `fix` (default: `fix`). */
  fixAlone?(params: P): string;
  /** Shown instead while the run still goes forward with the condition raised, if anything. */
  during?(params: P): string;
}

/**
 * A button on a succeeded run's card: the runbook's "if desired" next step, started as the
 * person who pressed it, exactly as if they had typed `command` (same access policy, approvals).
 */
export interface FollowUp {
  /** Action id of the button, unique across runbooks (e.g. "run_etl_backfill"). */
  id: string;
  label: string;
  command: string;
  style?: 'primary' | 'danger';
  /** A line for the presser alone, e.g. the current value and an example. */
  hint?(run: Run): string | undefined;
}

export interface Runbook<P = Params> extends RunbookRef<P> {
  /**
   * 'step' (default): every destructive step waits for its own approval. 'plan': one approval of
   * the plan card approves every destructive forward step listed on it (a rolling restart is one
   * decision, not twelve); undo steps still need their own.
   */
  approval?: 'step' | 'plan';
  summary(params: P): string;
  steps: Step<P>[] | ((params: P) => Step<P>[]);
  /**
   * The facts an approver decides on (node IP, exclusion list, transient settings...), read from
   * the estate now. Read when the run is created and again before each destructive step: if they
   * changed, the approvals are void and the card asks again, saying what changed.
   */
  facts?(params: P): Promise<Record<string, string>>;
  /** A lock name (e.g. "es-allocation:prod"): two runs holding the same lock never run at once. */
  lock?(params: P): string | undefined;
  /** The conditions its steps may raise (see Step.raises), by name. */
  alarms?: Record<string, Alarm<P>>;
  /** Buttons of a succeeded run. */
  followUps?: readonly FollowUp[];
}

/**
 * A runbook of any parameter type. The engine stores params as JSON and hands them back only
 * to the runbook that made them, so it need not know their shape.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the registry holds runbooks of every params type
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
  /**
   * On 'created' the reporter posts the run's card and returns where (the run's thread); the
   * engine records it on the run. Other events return nothing.
   */
  onEvent(run: Run, event: RunEvent): Promise<CardRef | void>;
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

export type ActionResult = { ok: true } | { ok: false; reason: RefusalReason | 'unknown_run' };

export interface RetryPolicy {
  /** First backoff after a retryable error; doubles each time. */
  baseMs: number;
  maxMs: number;
  /** Continuous failure for this long fails the run. */
  giveUpAfterMs: number;
}
