import type { Logger } from '../log.js';
import type { RunStore } from './run-store.js';

/**
 * A worker's lease on one run while it processes the run's job, with a fencing token. BullMQ's
 * job lock says who processes a job; it cannot stop a worker that paused past the lock (GC,
 * CPU throttling, a slow Redis failover) from writing when it wakes, after the stalled-job
 * checker gave the job to another worker. The lease can: every write of the worker carries the
 * token, and the store's compare-and-set refuses a token that is not the run's newest
 * (LeaseLostError). Renewed every third of its time while held; released before the job parks.
 */
export class RunLease {
  private readonly lostCtl = new AbortController();
  private readonly timer: NodeJS.Timeout;
  private released = false;

  constructor(
    private readonly store: RunStore,
    readonly runId: string,
    readonly token: string,
    private readonly ttlMs: number,
    private readonly log: Logger,
  ) {
    this.timer = setInterval(() => void this.renew(), Math.max(50, Math.floor(ttlMs / 3)));
    this.timer.unref();
  }

  /** Aborted once the lease is known to be lost: the step in progress should give up. */
  get lost(): AbortSignal {
    return this.lostCtl.signal;
  }

  private async renew(): Promise<void> {
    if (this.released || this.lost.aborted) return;
    try {
      if (await this.store.renewLease(this.runId, this.token, this.ttlMs)) return;
      clearInterval(this.timer);
      this.log.warn(
        { run: this.runId, lease: this.token },
        'lease on the run lost: another worker took it over; this worker stops and writes nothing more',
      );
      this.lostCtl.abort(new Error(`lease ${this.token} on run ${this.runId} lost`));
    } catch (err) {
      // Redis unreachable: the next tick tries again; the fence still guards every write.
      this.log.warn({ err, run: this.runId }, 'lease renewal failed');
    }
  }

  /** Lets the next pick-up (any worker) take the run at once. */
  async release(): Promise<void> {
    if (this.released) return;
    this.released = true;
    clearInterval(this.timer);
    await this.store.releaseLease(this.runId, this.token);
  }
}
