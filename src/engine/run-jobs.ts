import { Queue, type ConnectionOptions, type JobsOptions } from 'bullmq';
import type { Logger } from '../log.js';
import type { RunJobData } from './run-processor.js';

export const JOB_NAME = 'run';

/**
 * Job options for a run's job. The processor handles step failures itself, so a job only fails
 * when the engine itself could not work (Redis gone mid-write): a few retries cover a blip, and
 * the failed job is kept a week for a post-mortem. Completed jobs are removed: the run record,
 * not the job, is the history.
 */
const JOB_OPTS: JobsOptions = {
  removeOnComplete: true,
  removeOnFail: { age: 7 * 24 * 3600 },
  attempts: 5,
  backoff: { type: 'exponential', delay: 1000 },
};

/** The queue side: one job per run (jobId = run id), added, woken and inspected here. */
export class RunJobs {
  readonly queue: Queue<RunJobData>;

  constructor(
    connection: ConnectionOptions,
    readonly name: string,
    prefix: string,
    private readonly log: Logger,
  ) {
    this.queue = new Queue<RunJobData>(name, { connection, prefix });
    // Without a listener BullMQ prints connection errors to the console; ours go to the log.
    this.queue.on('error', (err) => this.log.warn({ err: err.message }, 'run queue connection error'));
  }

  /** Adds the run's job; a no-op when it already has one (BullMQ ignores a duplicate jobId). */
  async enqueue(runId: string, delayMs = 0): Promise<void> {
    await this.queue.add(JOB_NAME, { runId }, { ...JOB_OPTS, jobId: runId, delay: Math.max(0, Math.round(delayMs)) });
  }

  /**
   * Makes a parked run's job due now, after a human decision. If the job is not delayed (it is
   * running or already queued) this does nothing: the processor re-reads the run after parking
   * and promotes it itself if the run changed meanwhile.
   */
  async wake(runId: string): Promise<void> {
    try {
      const job = await this.queue.getJob(runId);
      if (job && (await job.getState()) === 'delayed') await job.promote();
    } catch (err) {
      // Lost a race with the worker moving the job; harmless for the reason above.
      this.log.debug({ err, run: runId }, 'promote skipped');
    }
  }

  async state(runId: string): Promise<string> {
    const job = await this.queue.getJob(runId);
    return job ? job.getState() : 'missing';
  }

  async close(): Promise<void> {
    await this.queue.close();
  }
}
