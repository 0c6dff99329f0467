import { Worker, type ConnectionOptions, type Job } from 'bullmq';
import { describeError } from './errors.js';
import type { RunJobs } from './run-jobs.js';
import { RunProcessor, type RunJobData } from './run-processor.js';
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
    const processor = new RunProcessor(this.deps, this.jobs, this.isClosing);
    const worker = new Worker<RunJobData>(this.jobs.name, (job, token) => processor.process(job, token), {
      connection: this.connection,
      prefix: this.prefix,
      concurrency: opts.concurrency ?? 10,
      lockDuration: opts.lockDurationMs ?? 30_000,
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
    const res = await store.update(runId, (d) =>
      failRun(d, d.cursor, error, { index, now: now(), offerTtlMs: undoOfferTtlMs }),
    );
    if (res?.value) {
      const step = snap.run.cursor;
      await events.emit(res.run, { type: 'failed', ...(step ? { step } : {}), error, undoable: res.value });
    }
    await job.remove().catch(() => undefined);
    await this.jobs.enqueue(runId);
  }
}
