import type { RequestListener } from 'node:http';

/**
 * Acks before replies. A command's slow part (cluster reads, rendering, the reply) starts only
 * once every request the web process has received is answered, so that under a burst the other
 * requests' acks (Slack allows 3 s) never queue behind it on the event loop. Bounded: the slow
 * part waits at most `maxWaitMs`, even while requests keep arriving.
 */
export class AckFirst {
  private unanswered = 0;
  private waiting: (() => void)[] = [];

  constructor(private readonly maxWaitMs = 1_000) {}

  /** The receiver's request listener, counting each request from its arrival until its answer is sent. */
  wrap(listener: RequestListener): RequestListener {
    return (req, res) => {
      this.unanswered++;
      res.once('close', () => {
        if (--this.unanswered === 0) this.release();
      });
      listener(req, res);
    };
  }

  /** Resolves once no request waits for its answer (on the next turn when none does), or after maxWaitMs. */
  quiet(): Promise<void> {
    if (this.unanswered === 0) return new Promise((resolve) => setImmediate(resolve));
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(done, this.maxWaitMs);
      this.waiting.push(done);
    });
  }

  private release(): void {
    const waiting = this.waiting;
    this.waiting = [];
    for (const done of waiting) done();
  }
}
