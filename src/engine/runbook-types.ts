import type { Logger } from '../log.js';
import type { Progress, Run, StepRecord } from './types.js';

// What a runbook is made of: its steps, their context, its handle, alarms and follow-ups.
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
  /**
   * Aborted on worker shutdown and when the run is cancelled: long calls may return early; the
   * step will be called again (shutdown) or not at all (cancel).
   */
  signal: AbortSignal;
  /**
   * Aborted only when the run is cancelled: for an effect a worker's restart must not cut short
   * (a node command runs to its end on shutdown, and its result is checkpointed).
   */
  cancelSignal: AbortSignal;
  /**
   * Saves `state` now, before the call ends: for a step that must record what it is about to do
   * before an effect it cannot take back (the backfill records the keys it sends before sending).
   */
  checkpoint(): Promise<void>;
  /**
   * Says, saved at once, that this step's change is now in the estate (call it right after the
   * write is accepted): if the step then fails or is cancelled, its alarm still shows and its undo
   * is still offered.
   */
  landed(): Promise<void>;
  /**
   * Records, saved at once with `state`, what the step is about to change (StepRecord.intent):
   * call it right before the effect. It throws when this worker no longer holds the run's lease
   * (another worker took the run over): then the effect must not be made.
   */
  intent(what: string): Promise<void>;
}

export type StepOutcome =
  | { status: 'done'; summary?: string; output?: Record<string, unknown> /* merged into run.outputs */ }
  | { status: 'wait'; recheckInMs: number } // re-run this step later via a delayed job: no worker slot held
  /**
   * Wait for a human Done/Confirmed (`label` names the button otherwise, e.g. "Re-apply and
   * continue"). Reminders follow in the thread; past `deadlineMs` (default: the engine's) the
   * thread and card say it is overdue. Nothing is undone by itself: the person decides.
   */
  | {
      status: 'pause';
      prompt: string;
      action: 'done' | 'confirm';
      label?: string;
      deadlineMs?: number;
      /** Offer "Cancel and revert" beside the resume button (a stall, a setting changed outside the run). */
      offerRevert?: boolean;
    }
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
  /**
   * Safe to run again after it failed (the card's Retry step): idempotent reads, waits and
   * settings writes; a node stop or restart only if it looks at the node's state first.
   */
  retryable?: boolean;
  /**
   * How long the step may take, all its calls and re-checks together, before the watchdog raises
   * an alarm on the card and in the thread (I5). Default ENGINE_DEFAULTS.stepBudgetMs. Steps that
   * wait for the cluster (a drain, a recovery) set their own.
   */
  budgetMs?: number | ((params: P) => number);
  // Method syntax on purpose: a Step<P, DrainState> is then usable where a Step<P> is expected.
  run(ctx: StepContext<P, S>): Promise<StepOutcome>;
  /** Compensation, offered on cancel/fail. Its id must be unique within the runbook too. */
  undo?: Step<P>;
  /**
   * The undo is not offered but always run when the run stops early (cancelled or failed), before
   * the run ends and before Revert or Keep is offered for the rest: for a temporary change the
   * approved plan promised to take back however the run ends (a raised recovery throttle). The
   * undo must not be destructive: it runs without an approval, on the plan's.
   */
  undoOnStop?: boolean;
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
  /**
   * A lock name (e.g. "es-allocation:<cluster uuid>"): two runs holding the same lock never run
   * at once. Taken with the run's creation; may read the estate (a cluster's UUID) and throw an
   * OperatorError when it cannot (fail closed: no lock known, no run).
   */
  lock?(params: P): string | undefined | Promise<string | undefined>;
  /**
   * While a run of this runbook holds its lock and stands at one of `at` (step ids), runs of the
   * runbooks named in `to` start beside it without the lock (they take none), instead of being
   * refused: e.g. the ETL deploy's watch tells the person to raise the budget, and `/etl budget`
   * must then be possible though the deploy still holds the lock.
   */
  lendsLock?: { at: readonly string[]; to: readonly string[] };
  /**
   * A request refused by its lock may be queued behind the holder instead: approved now, started
   * when the lock frees, its facts read again then (so the runbook must have facts).
   */
  queueable?: boolean;
  /** The conditions its steps may raise (see Step.raises), by name. */
  alarms?: Record<string, Alarm<P>>;
  /**
   * Read from the estate as the run ends (succeeded, failed, cancelled, reverted): the conditions
   * of `alarms` in force now, whoever caused them (someone's transient override counts too). The
   * card shows them with those its steps raised.
   */
  endAlarms?(run: Run): Promise<string[]>;
  /** Buttons of a succeeded run. */
  followUps?: readonly FollowUp[];
}

/**
 * A runbook of any parameter type. The engine stores params as JSON and hands them back only
 * to the runbook that made them, so it need not know their shape.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the registry holds runbooks of every params type
export type AnyRunbook = Runbook<any>;
