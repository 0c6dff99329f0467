import { DelayedError, UnrecoverableError, Worker, type ConnectionOptions, type Job } from 'bullmq';
import { endAlarmsNow, setEndAlarms } from './end-alarms.js';
import { describeError } from './errors.js';
import type { RunJobs } from './run-jobs.js';
import { RunLease } from './run-lease.js';
import { RunProcessor, type RunJobData } from './run-processor.js';
import { LeaseLostError } from './run-store.js';
import { failRun, isSettled } from './transitions.js';
import type { Step } from './types.js';
import type { WorkerDeps } from './worker-context.js';

export interface WorkerOptions {
  /** Runs processed at once. Waiting runs do not count: they hold no slot. */
  concurrency?: number;
  /** How long a worker's claim on a job lasts without renewal; a crashed worker's runs resume after it. */
  lockDurationMs?: number;
  /** How often to look for jobs whose worker died. */
  stalledIntervalMs?: number;
  /** How long a worker's lease on a run lasts without renewal (RunLease); default lockDurationMs. */
  leaseMs?: number;
}

/**
 * A job whose worker died is retried this many times; past that, the step is probably what
 * kills the worker (out of memory...), and the run is failed instead of crashing worker after worker.
 */
const MAX_STALLED = 3;

/** The BullMQ Worker for run jobs, plus the two ways a run could otherwise be stranded. */
export class RunWorker {
  private worker?: Worker<RunJobData>;

  constructor(
    private readonly deps: WorkerDeps,
    private readonly jobs: RunJobs,
    private readonly connection: ConnectionOptions,
    private readonly prefix: string,
    private readonly isClosing: () => boolean,
  ) {}

  async start(opts: WorkerOptions = {}): Promise<void> {
    if (this.worker) return;
    const lockDuration = opts.lockDurationMs ?? 30_000;
    const leaseMs = opts.leaseMs ?? lockDuration;
    const worker = new Worker<RunJobData>(this.jobs.name, (job, token) => this.processLeased(job, token, leaseMs), {
      connection: this.connection,
      prefix: this.prefix,
      concurrency: opts.concurrency ?? 10,
      lockDuration,
      stalledInterval: opts.stalledIntervalMs ?? 30_000,
      maxStalledCount: MAX_STALLED,
    });
    worker.on('failed', (job, err) => {
      if (job)
        void this.onJobFailed(job, err).catch((e: unknown) =>
          this.deps.log.error({ err: e, run: job.id }, 'could not record a failed job'),
        );
    });
    worker.on('error', (err) => this.deps.log.error({ err }, 'run worker error'));
    this.worker = worker;
    await worker.waitUntilReady();
    await this.recover();
  }

  /**
   * One pick-up of a run's job, under the run's lease: a job whose id is not its run's (a second
   * job for the run, added by hand) is refused, and a run whose lease another worker holds waits
   * until it lapses. Every write of this pick-up carries the lease's token; once another worker
   * took the run over, the first refused write ends the pick-up, with nothing more done or said.
   */
  private async processLeased(job: Job<RunJobData>, token: string | undefined, leaseMs: number): Promise<void> {
    const { store, log } = this.deps;
    const runId = job.data.runId;
    if (job.id !== runId) {
      log.warn({ run: runId, job: job.id }, 'refused a job whose id is not its run id');
      throw new UnrecoverableError(
        `refused: job ${job.id} is not run ${runId}'s job (a run has exactly one job, whose id is the run id); ` +
          'remove this job; the run goes on with its own',
      );
    }
    const taken = await store.takeLease(runId, leaseMs);
    if (taken.kind === 'missing') {
      log.warn({ run: runId }, 'job for a run that does not exist; dropping it');
      return;
    }
    if (taken.kind === 'held') {
      // Another worker is in this run (or was, and paused): look again once its lease lapses.
      await job.moveToDelayed(Date.now() + taken.forMs + 20, token);
      throw new DelayedError();
    }
    const lease = new RunLease(store, runId, taken.token, leaseMs, log);
    // Aborted on shutdown or when the lease is lost. Not AbortSignal.any: on Node 20 each one made
    // per pick-up stays tied to the long-lived shutdown signal until collected, a cost that grows
    // with the runs re-checking; this listener is removed when the pick-up ends.
    const pickUp = new AbortController();
    const abort = (s: AbortSignal) => () => pickUp.abort(s.reason);
    const onShutdown = abort(this.deps.signal);
    const onLost = abort(lease.lost);
    if (this.deps.signal.aborted) onShutdown();
    this.deps.signal.addEventListener('abort', onShutdown, { once: true });
    lease.lost.addEventListener('abort', onLost, { once: true });
    const deps = { ...this.deps, store: store.withLease(taken.token), signal: pickUp.signal };
    try {
      await new RunProcessor(deps, this.jobs, this.isClosing, lease).process(job, token);
    } catch (err) {
      if (!(err instanceof LeaseLostError)) throw err;
      log.warn(
        { run: runId, lease: taken.token, job: job.id },
        'write refused: this worker lost the run to another (its lease was taken over); nothing more is done here',
      );
      // The job is the other worker's now; should it still be ours in BullMQ, it is handed back.
      await job.moveToDelayed(Date.now(), token).catch(() => undefined);
      throw new DelayedError();
    } finally {
      this.deps.signal.removeEventListener('abort', onShutdown);
      lease.lost.removeEventListener('abort', onLost);
      await lease.release().catch(() => undefined);
    }
  }

  /** Waits for the step calls in flight to return and checkpoint, then disconnects. */
  async close(): Promise<void> {
    await this.worker?.close();
  }

  /**
   * Runs that are not settled but have no job (a creator that crashed between saving the run and
   * queueing it; a job failed for an engine error) get one back. Queueing is idempotent by run id.
   */
  async recover(): Promise<void> {
    const { store, log } = this.deps;
    for (const id of await store.activeIds()) {
      const snap = await store.get(id);
      if (!snap || isSettled(snap.run)) {
        await store.markSettled(id);
        continue;
      }
      // A run waiting for a person is saved before its card is updated: a worker killed in between
      // left a card without the button the person needs (Done, Approve). Draw it again.
      if (snap.run.status === 'paused' || snap.run.status === 'awaiting_approval') {
        await this.deps.events.emit(snap.run, { type: 'redraw' });
      }
      const state = await this.jobs.state(id);
      if (state === 'missing') {
        log.info({ run: id }, 'run had no job; queueing it again');
        await this.jobs.enqueue(id);
      } else if (state === 'failed') {
        const job = await this.jobs.queue.getJob(id);
        if (job) await this.onJobFailed(job, new Error(job.failedReason || 'job failed'));
      }
    }
  }

  /**
   * The processor never lets a step's error fail the job, so a failed job means the engine itself
   * could not work (Redis lost mid-write, a worker that kept dying). Once BullMQ gives up, record
   * that on the run, so nobody waits on it forever, and give it a fresh job for a revert/keep.
   */
  private async onJobFailed(job: Job<RunJobData>, err: Error): Promise<void> {
    if (job.id !== job.data.runId) return; // a refused extra job: its run is not concerned
    if ((await job.getState()) !== 'failed') return; // BullMQ will retry it
    const runId = job.data.runId;
    const { store, events, registry, now, undoOfferTtlMs } = this.deps;
    const snap = await store.get(runId);
    if (!snap) return;
    let index = new Map<string, Step>();
    try {
      index = registry.index(snap.run);
    } catch {
      // unknown runbook: nothing to offer to undo
    }
    const error = `the engine could not process this run: ${describeError(err)}`;
    // Ended like every other ending: the estate's alarms read first and saved with the end (I3).
    const alarms = await endAlarmsNow(this.deps, snap.run);
    const res = await store.update(runId, (d) => {
      const undoable = failRun(d, d.cursor, error, { index, now: now(), offerTtlMs: undoOfferTtlMs });
      if (undoable) setEndAlarms(d, alarms);
      return undoable;
    });
    if (res?.value) {
      const step = snap.run.cursor;
      await events.emit(res.run, { type: 'failed', ...(step ? { step } : {}), error, undoable: res.value });
    }
    await job.remove().catch(() => undefined);
    await this.jobs.enqueue(runId);
  }
}
