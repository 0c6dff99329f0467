import type { ConnectionOptions, Queue } from 'bullmq';
import { Redis, type RedisOptions } from 'ioredis';
import { silentLogger, type Logger } from '../log.js';
import { AuditLog, type AuditSinkOptions } from './audit-log.js';
import { HumanActions, type ApprovalSeen } from './human-actions.js';
import { RunEvents } from './run-events.js';
import { RunJobs } from './run-jobs.js';
import type { RunJobData } from './run-processor.js';
import { planHashOf } from './plan-binding.js';
import { RunLockedError, RunLocks } from './run-locks.js';
import { QueueOffers, QUEUE_RECHECK_MS, queuedNote } from './run-queue.js';
import { RunStore, newRunId } from './run-store.js';
import { RunWorker, type WorkerOptions } from './run-worker.js';
import { RunbookRegistry, newRecord } from './runbook-registry.js';
import { isSettled } from './transitions.js';
import { ENGINE_DEFAULTS } from './defaults.js';
import type {
  ActionResult,
  AnyRunbook,
  ApproverPolicy,
  CardRef,
  RetryPolicy,
  Run,
  RunbookRef,
  RunReporter,
  RunStatus,
  Params,
  PauseReminders,
} from './types.js';
import type { WorkerDeps } from './worker-context.js';

/** How long a shutdown waits for run events still going to Slack (see RunEvents.flush). */
const EVENTS_FLUSH_MS = 10_000;

export interface EngineOptions {
  /** A redis:// URL or ioredis options. */
  redis: string | RedisOptions;
  /** Namespace of every key the engine writes (runs, audit, queue). Defaults: ENGINE_DEFAULTS. */
  prefix?: string;
  queueName?: string;
  runbooks: readonly AnyRunbook[];
  reporter: RunReporter;
  approvers: ApproverPolicy;
  /** How long an approval request stays answerable. */
  approvalTtlMs?: number;
  /** How old an approval may be when its step comes to run (checked then, not at the click). */
  maxApprovalAgeMs?: number;
  /** Backoff for retryable step errors. */
  retry?: RetryPolicy;
  /** How long a cancelled/failed run offers revert/keep before it is kept. */
  undoOfferTtlMs?: number;
  /** How long an ended run's keys stay in Redis (retention.endedRunDays; default 30 days). */
  endedRunTtlMs?: number;
  /** A paused step's reminders and default deadline. */
  pause?: Partial<PauseReminders>;
  /** A step's budget unless it sets its own. */
  stepBudgetMs?: number;
  /** How often a running step call looks for a cancel. */
  cancelPollMs?: number;
  /** How often a queued run looks whether its lock is free (default QUEUE_RECHECK_MS). */
  queueRecheckMs?: number;
  /** A copy of the audit trail outside Redis (a hash-chained JSON-lines file); none: Redis only. */
  audit?: AuditSinkOptions;
  /** The longest a run waits for one of its events to reach the reporter (RunEvents; default 2 s). */
  reportWaitMs?: number;
  log?: Logger;
  now?: () => number;
}

/** Who asks for a run, where, and under which policy rule. */
export interface RunRequest {
  requester: string;
  team?: string;
  channel: string;
  cluster?: string;
  /** Slack retries of one command (same trigger id) create one run. */
  idempotencyKey?: string;
  /** Distinct approvers each destructive step needs (N of M; default 1). */
  approvalsRequired?: number;
  /** The policy rule this run falls under (e.g. "es drain"), for the approver policy. */
  policyKey?: string;
  /** Held lock: queue the run behind its holder instead of refusing (Runbook.queueable only). */
  queue?: boolean;
  /** The command as typed, kept on the run: Re-run asks it again. */
  command?: { slash: string; text: string };
  /** The run this one repeats (Re-run). */
  rerunOf?: string;
  /** Break-glass (the caller checked the policy): the requester runs it alone, for this reason. */
  breakGlass?: { reason: string };
}

/** A run by runbook name, with its params as stored JSON (tests' toy runbooks; `start` is the typed way). */
export interface CreateRunInput extends RunRequest {
  runbook: string;
  params: Params;
}

export type { WorkerOptions };

/**
 * The run engine: durable, approved, long-running runbook runs on BullMQ + Redis. The web side
 * uses it to create runs and record decisions; the worker side calls `startWorker()`. Both may
 * live in one process (local mode) or several.
 */
export class Engine {
  readonly audit: AuditLog;
  private readonly redis: Redis;
  private readonly store: RunStore;
  private readonly events: RunEvents;
  private readonly registry: RunbookRegistry;
  private readonly jobs: RunJobs;
  private readonly actions: HumanActions;
  private readonly locks: RunLocks;
  private readonly queueOffers: QueueOffers;
  private readonly now: () => number;
  private readonly log: Logger;
  private readonly approvalTtlMs: number;
  private readonly connection: ConnectionOptions;
  private readonly prefix: string;
  private get bullPrefix(): string {
    return `${this.prefix}:bull`;
  }
  private readonly shutdown = new AbortController();
  private readonly deps: WorkerDeps;
  private worker?: RunWorker;
  private closed = false;

  constructor(opts: EngineOptions) {
    this.now = opts.now ?? Date.now;
    this.log = opts.log ?? silentLogger;
    this.prefix = opts.prefix ?? ENGINE_DEFAULTS.prefix;
    this.approvalTtlMs = opts.approvalTtlMs ?? ENGINE_DEFAULTS.approvalTtlMs;
    this.registry = new RunbookRegistry(opts.runbooks);
    // BullMQ's blocking connections must retry forever rather than throw mid-command.
    this.connection =
      typeof opts.redis === 'string'
        ? { url: opts.redis, maxRetriesPerRequest: null }
        : // ioredis' and BullMQ's option types differ in detail (retryStrategy's return type); same object at runtime.
          ({ ...opts.redis, maxRetriesPerRequest: null } as ConnectionOptions);
    this.redis =
      typeof opts.redis === 'string'
        ? new Redis(opts.redis, { maxRetriesPerRequest: null })
        : new Redis({ ...opts.redis, maxRetriesPerRequest: null });
    this.redis.on('error', (err) => this.log.warn({ err }, 'redis connection error'));
    this.store = new RunStore(this.redis, this.prefix, this.now, {
      ...(opts.endedRunTtlMs !== undefined ? { endedRunTtlMs: opts.endedRunTtlMs } : {}),
    });
    this.audit = new AuditLog(this.redis, this.prefix, this.now, opts.audit);
    this.locks = new RunLocks(this.redis, this.prefix, this.store, this.now);
    this.queueOffers = new QueueOffers(this.redis, this.prefix);
    this.events = new RunEvents(opts.reporter, this.audit, this.log, opts.reportWaitMs);
    this.jobs = new RunJobs(this.connection, opts.queueName ?? ENGINE_DEFAULTS.queueName, this.bullPrefix, this.log);
    this.actions = new HumanActions({
      store: this.store,
      events: this.events,
      audit: this.audit,
      jobs: this.jobs,
      approvers: opts.approvers,
      now: this.now,
    });
    this.deps = {
      store: this.store,
      events: this.events,
      registry: this.registry,
      log: this.log,
      now: this.now,
      signal: this.shutdown.signal,
      approvalTtlMs: this.approvalTtlMs,
      maxApprovalAgeMs: opts.maxApprovalAgeMs ?? ENGINE_DEFAULTS.maxApprovalAgeMs,
      undoOfferTtlMs: opts.undoOfferTtlMs ?? ENGINE_DEFAULTS.undoOfferTtlMs,
      pause: { ...ENGINE_DEFAULTS.pause, ...opts.pause },
      stepBudgetMs: opts.stepBudgetMs ?? ENGINE_DEFAULTS.stepBudgetMs,
      cancelPollMs: opts.cancelPollMs ?? ENGINE_DEFAULTS.cancelPollMs,
      retry: opts.retry ?? ENGINE_DEFAULTS.retry,
      locks: this.locks,
      queueRecheckMs: opts.queueRecheckMs ?? QUEUE_RECHECK_MS,
    };
  }

  /**
   * Starts a run of `runbook` with its own params (the compiler checks them against the
   * runbook's handle). See createRun for what happens then.
   */
  start<P extends object>(
    runbook: RunbookRef<P>,
    params: P,
    request: RunRequest,
  ): Promise<{ run: Run; created: boolean }> {
    // Stored as JSON; handed back typed only to the runbook registered under this name.
    return this.createRun({ ...request, runbook: runbook.name, params: params as Params });
  }

  /**
   * Plans and queues a run. If its first step is destructive the approval is requested at once
   * (the plan card's Approve button). Throws EngineConfigError for an unknown runbook.
   */
  async createRun(input: CreateRunInput): Promise<{ run: Run; created: boolean }> {
    const runbook = this.registry.require(input.runbook);
    // A retried delivery finds its run before anything else (the lock is that run's own).
    const earlier = input.idempotencyKey ? await this.store.idempotent(input.idempotencyKey) : undefined;
    if (earlier) {
      const existing = await this.getRun(earlier);
      if (existing) {
        if (!isSettled(existing)) await this.jobs.enqueue(existing.id);
        return { run: existing, created: false };
      }
    }
    const records = this.registry.steps(runbook, input.params).map((s) => newRecord(s));
    const now = this.now();
    const first = records[0];
    const run: Run = {
      id: newRunId(),
      runbook: input.runbook,
      params: input.params,
      requester: input.requester,
      ...(input.team !== undefined ? { team: input.team } : {}),
      channel: input.channel,
      ...(input.cluster !== undefined ? { cluster: input.cluster } : {}),
      createdAt: now,
      status: 'running',
      summary: runbook.summary(input.params),
      cursor: first?.id,
      ...(runbook.approval === 'plan' ? { approvalScope: 'plan' as const } : {}),
      ...(input.approvalsRequired && input.approvalsRequired > 1 ? { approvalsRequired: input.approvalsRequired } : {}),
      ...(input.policyKey ? { policyKey: input.policyKey } : {}),
      ...(input.command ? { command: input.command } : {}),
      ...(input.rerunOf ? { rerunOf: input.rerunOf } : {}),
      ...(input.breakGlass ? { breakGlass: { by: input.requester, reason: input.breakGlass.reason } } : {}),
      phase: 'forward',
      steps: records,
      undoSteps: [],
      approvals: [],
      outputs: {},
      updatedAt: now,
    };
    if (runbook.facts) {
      run.planFacts = await runbook.facts(input.params);
      run.planHash = planHashOf(run.runbook, run.params, run.planFacts);
    }
    const lock = await runbook.lock?.(input.params);
    if (lock) run.lock = lock;
    if (first?.destructive && !run.breakGlass) {
      run.status = 'awaiting_approval';
      run.pendingApproval = { step: first.id, requestedAt: now, expiresAt: now + this.approvalTtlMs };
    }
    const { id, created } = await this.createWithLock(run, input, runbook.queueable === true);
    if (!created) {
      const existing = await this.getRun(id);
      if (!existing) throw new Error(`idempotency key points at run ${id}, which no longer exists`);
      // The first attempt may have died before queueing; queueing again is a no-op otherwise.
      if (!isSettled(existing)) await this.jobs.enqueue(id);
      return { run: existing, created: false };
    }
    // The reporter posts the card and says where: the run's thread from now on.
    const card = await this.events.emit(run, { type: 'created' });
    if (card) {
      run.message = card;
      await this.attachMessage(id, card);
    }
    if (run.breakGlass) await this.events.emit(run, { type: 'break_glass', ...run.breakGlass });
    if (run.queued) await this.events.emit(run, queuedNote(run, await this.locks.ahead(run.queued.lock, run.id)));
    if (run.pendingApproval) {
      await this.events.emit(run, {
        type: 'approval_requested',
        step: run.pendingApproval.step,
        expiresAt: run.pendingApproval.expiresAt,
      });
    }
    // Queued after 'created' is reported, so the card exists before any step reports on it.
    // Waiting for an approval: the job first looks again when its first reminder is due.
    await this.jobs.enqueue(id, run.pendingApproval ? Math.min(this.approvalTtlMs, this.deps.pause.firstMs) : 0);
    // A click that landed before the job existed could not wake it: wake it now.
    if ((await this.store.rev(id)) !== 1) await this.jobs.wake(id);
    return { run: (await this.getRun(id)) ?? run, created: true };
  }

  /** Whether `holder`, where it stands now, lets a run of `runbook` start without its lock (Runbook.lendsLock). */
  private lendsLock(holder: Run, runbook: string): boolean {
    const lends = this.registry.get(holder.runbook)?.lendsLock;
    return (
      !!lends &&
      !isSettled(holder) &&
      holder.cursor !== undefined &&
      lends.at.includes(holder.cursor) &&
      lends.to.includes(runbook)
    );
  }

  /**
   * Stores the run and takes its lock in one Redis script (RunStore.create): refused with
   * RunLockedError, naming the holder, while a live run holds the lock.
   */
  private async createWithLock(
    run: Run,
    input: CreateRunInput,
    queueable: boolean,
  ): Promise<{ id: string; created: boolean }> {
    for (let attempt = 0; attempt < 5; attempt++) {
      const lock = run.lock;
      const res = await this.store.create(run, input.idempotencyKey, lock ? this.locks.key(lock) : undefined);
      if (!res.lockedBy || !lock) return res;
      const holder = await this.getRun(res.lockedBy);
      // The holder vanished between the script and the read: ask again.
      if (!holder) continue;
      if (!res.inLine && this.lendsLock(holder, run.runbook)) {
        // The holder is at a step where this runbook may run beside it: stored without the lock.
        delete run.lock;
        return this.store.create(run, input.idempotencyKey);
      }
      if (queueable && input.queue) {
        // Stored without the lock: the worker takes it when the holder lets go (run-queue.ts).
        delete run.lock;
        run.queued = { lock, behind: holder.id, since: run.createdAt };
        return this.store.create(run, input.idempotencyKey, undefined, this.locks.key(lock));
      }
      const { queue: _ignored, ...request } = input;
      const token = queueable ? await this.queueOffers.save(request) : undefined;
      throw new RunLockedError(lock, holder, token, res.inLine === true);
    }
    throw new Error(`lock ${run.lock} kept changing hands; try again`);
  }

  /**
   * "Queue behind run X" on a lock refusal: the refused request, as it was planned, created as a
   * queued run (only by its requester, within QUEUE_OFFER_TTL_MS; a double click queues once). If
   * the lock is free by now, the run simply starts.
   */
  async queueBehind(token: string, userId: string): Promise<{ run: Run; created: boolean }> {
    const request = await this.queueOffers.take<CreateRunInput>(token, userId);
    return this.createRun({ ...request, queue: true, idempotencyKey: `queue:${token}` });
  }

  /** Records the run's parent message (the thread), once the reporter has posted it. */
  async attachMessage(runId: string, message: CardRef): Promise<void> {
    await this.store.update(runId, (d) => {
      d.message = message;
    });
  }

  /** `seen`: the step and plan on the card that was clicked; a click from an older card is refused. */
  approve(runId: string, userId: string, seen?: ApprovalSeen): Promise<ActionResult> {
    return this.actions.approve(runId, userId, seen);
  }
  deny(runId: string, userId: string, reason?: string): Promise<ActionResult> {
    return this.actions.deny(runId, userId, reason);
  }
  resume(runId: string, userId: string): Promise<ActionResult> {
    return this.actions.resume(runId, userId);
  }
  cancel(runId: string, userId: string, opts: { revert?: boolean } = {}): Promise<ActionResult> {
    return this.actions.cancel(runId, userId, opts);
  }
  /**
   * Revert is a run like any other: it needs its lock (held since the run began, through the
   * offer, see run-locks.ts), so it is refused while another run holds it; its undo steps then
   * need an approval from someone who is neither the requester nor the person who chose Revert.
   */
  async revert(runId: string, userId: string): Promise<ActionResult> {
    const run = await this.getRun(runId);
    if (run?.lock && run.undoOffer && !run.undoOffer.decided) {
      try {
        await this.locks.take(run.lock, run.id);
      } catch (err) {
        if (!(err instanceof RunLockedError)) throw err;
        await this.audit.append({
          run: run.id,
          runbook: run.runbook,
          type: 'revert_refused',
          user: userId,
          detail: { reason: 'locked', holder: err.holder.id },
        });
        return { ok: false, reason: 'locked', holder: err.holder };
      }
    }
    return this.actions.revert(runId, userId);
  }
  /** A person's pause of the whole run (see run-pause.ts); `resumeRun` lifts it. Not a step's Done: see `resume`. */
  pauseRun(runId: string, userId: string): Promise<ActionResult> {
    return this.actions.pauseRun(runId, userId);
  }
  resumeRun(runId: string, userId: string): Promise<ActionResult> {
    return this.actions.resumeRun(runId, userId);
  }
  /** Re-run asked on an ended run: recorded on it (audit, thread), with the new run if one came of it. */
  async recordRerun(runId: string, by: string, newRun?: string): Promise<void> {
    const run = await this.getRun(runId);
    if (run) await this.events.emit(run, { type: 'rerun', by, ...(newRun ? { run: newRun } : {}) });
  }
  /**
   * Retry step (see run-retry.ts): the failed run takes its lock again (refused while another run
   * holds it), goes on from the failed step, and gets a job again if its last one completed.
   */
  async retryStep(runId: string, userId: string): Promise<ActionResult> {
    const run = await this.getRun(runId);
    if (run?.lock && run.status === 'failed') {
      try {
        await this.locks.take(run.lock, run.id);
      } catch (err) {
        if (!(err instanceof RunLockedError)) throw err;
        const detail = { reason: 'locked', holder: err.holder.id };
        await this.audit.append({ run: run.id, runbook: run.runbook, type: 'retry_refused', user: userId, detail });
        return { ok: false, reason: 'locked', holder: err.holder };
      }
    }
    const result = await this.actions.retryStep(runId, userId);
    if (result.ok) {
      await this.store.markActive(runId);
      await this.jobs.enqueue(runId);
      await this.jobs.wake(runId);
    }
    return result;
  }
  keep(runId: string, userId: string): Promise<ActionResult> {
    return this.actions.keep(runId, userId);
  }

  async getRun(id: string): Promise<Run | undefined> {
    return (await this.store.get(id))?.run;
  }

  /** Newest first. */
  listRuns(opts: { limit?: number; statuses?: RunStatus[] } = {}): Promise<Run[]> {
    return this.store.list({ limit: opts.limit ?? 20, ...(opts.statuses ? { statuses: opts.statuses } : {}) });
  }

  /**
   * Runs not yet settled (awaiting approval, running, waiting, paused...), read from the active
   * set: O(active runs), never a walk over the history. For metrics; read-only.
   */
  async activeRuns(): Promise<Run[]> {
    const runs = await Promise.all((await this.store.activeIds()).map((id) => this.getRun(id)));
    return runs.filter((r): r is Run => r !== undefined && !isSettled(r));
  }

  /** Jobs of the run queue by BullMQ state (waiting, active, delayed, failed...). For metrics; read-only. */
  queueCounts(): Promise<Record<string, number>> {
    return this.jobs.queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'waiting-children', 'failed');
  }

  /** The run queue itself, for the operators' dashboard. Only the engine adds or moves jobs. */
  get queue(): Queue<RunJobData> {
    return this.jobs.queue;
  }

  /** Starts processing runs in this process, and re-queues runs whose job went missing. */
  async startWorker(opts: WorkerOptions = {}): Promise<void> {
    if (this.closed) throw new Error('engine is closed');
    this.worker ??= new RunWorker(this.deps, this.jobs, this.connection, this.bullPrefix, () => this.closed);
    await this.worker.start(opts);
  }

  /** Graceful: step calls in flight return (and are checkpointed) before connections close. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.shutdown.abort();
    await this.worker?.close();
    // The last words of the runs moved here (a step's result, the end) go out before the updater closes.
    await this.events.flush(EVENTS_FLUSH_MS);
    await this.jobs.close();
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}
