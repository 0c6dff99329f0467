import type { Logger } from '../log.js';
import type { AuditLog } from './audit-log.js';
import type { CardRef, Run, RunEvent, RunReporter } from './types.js';

/**
 * Where every run event goes: the audit stream first (the record must not depend on Slack being
 * up), then the reporter. Events are emitted after the change they describe is saved, so a
 * crash in between loses a message, never a decision.
 *
 * A run waits for Slack only so long: an event joins its run's outbox, sent in order behind that
 * run's earlier events, and the worker waits for it at most `reportWaitMs` before going on while
 * the delivery continues. When Slack answers (almost always) the event is in Slack before the next
 * step starts, so a crash loses no more than it did; when it does not (a thread reply held by a
 * 429's Retry-After, an outage the client retries through, the workspace's card budget spent by a
 * hundred live runs), no step waits on it. Unbounded, those waits stopped every run in turn: a
 * rolling restart sat for minutes between "node-1 rejoined" and its next step. 'created' is
 * always waited for: its card's timestamp is the run's thread.
 */
export class RunEvents {
  /** Per run, the end of its chain of events still going to the reporter. */
  private readonly outbox = new Map<string, Promise<void>>();

  constructor(
    private readonly reporter: RunReporter,
    private readonly audit: AuditLog,
    private readonly log: Logger,
    /** The longest a run waits for one event to reach the reporter (see above). */
    private readonly reportWaitMs = 2_000,
  ) {}

  /** Returns where the card was posted, for 'created' (see RunReporter). */
  async emit(run: Run, event: RunEvent): Promise<CardRef | undefined> {
    if (event.type !== 'progress') {
      const step = 'step' in event ? event.step : undefined;
      this.log.info(
        { run: run.id, runbook: run.runbook, step, cluster: run.cluster, event: event.type, status: run.status },
        `run ${event.type}`,
      );
    }
    if (auditable(event)) {
      try {
        await this.audit.append(toAudit(run, event));
      } catch (err) {
        this.log.error({ err, run: run.id, event: event.type }, 'audit append failed');
      }
    }
    if (event.type === 'created') return this.report(run, event);
    const sent = (this.outbox.get(run.id) ?? Promise.resolve())
      .then(() => this.report(run, event))
      .then(() => {
        if (this.outbox.get(run.id) === sent) this.outbox.delete(run.id);
      });
    this.outbox.set(run.id, sent);
    await waitAtMost(sent, this.reportWaitMs);
    return undefined;
  }

  /**
   * Whether the ended run's card shows its end (RunReporter.showsEnd), its own events delivered
   * first; false when that did not come within `timeoutMs` (Slack away, its budget spent).
   */
  async showsEnd(run: Run, timeoutMs: number, signal?: AbortSignal): Promise<boolean> {
    const until = Date.now() + timeoutMs;
    const check = async () => {
      const mine = this.outbox.get(run.id);
      if (mine && !(await waitAtMost(mine, timeoutMs))) return false;
      return (await this.reporter.showsEnd?.(run, Math.max(0, until - Date.now()))) ?? true;
    };
    try {
      // A shutdown does not wait for it: the job is parked, and the next worker asks again.
      const stopped = new Promise<false>((resolve) => {
        if (signal?.aborted) resolve(false);
        signal?.addEventListener('abort', () => resolve(false), { once: true });
      });
      return await Promise.race([check(), stopped]);
    } catch (err) {
      this.log.warn({ err, run: run.id }, 'could not tell whether the card shows the end; asking again later');
      return false;
    }
  }

  /** Events still on their way to the reporter, all runs together. */
  get pending(): number {
    return this.outbox.size;
  }

  /**
   * Waits until every event emitted so far reached the reporter (shutdown: the last words of the
   * runs this process moved), or `timeoutMs` passed: Slack away does not hold a shutdown forever.
   */
  async flush(timeoutMs: number): Promise<boolean> {
    const until = Date.now() + timeoutMs;
    while (this.outbox.size > 0) {
      if (!(await waitAtMost(Promise.all(this.outbox.values()), until - Date.now()))) {
        this.log.warn({ runs: this.outbox.size }, 'shutting down with run events not yet in Slack');
        return false;
      }
    }
    return true;
  }

  private async report(run: Run, event: RunEvent): Promise<CardRef | undefined> {
    try {
      return (await this.reporter.onEvent(run, event)) ?? undefined;
    } catch (err) {
      // The reporter owns its retries (Slack rate limits); a failed post must not stop the run.
      this.log.warn({ err, run: run.id, event: event.type }, 'reporter failed; continuing');
      return undefined;
    }
  }
}

/** True once `p` settled, false when `ms` passed first. */
async function waitAtMost(p: Promise<unknown>, ms: number): Promise<boolean> {
  if (ms <= 0) return false;
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  try {
    return await Promise.race([p.then(() => true as const), late]);
  } finally {
    clearTimeout(timer);
  }
}

/** Progress is too chatty for an audit trail, and info notes are commentary; warnings are kept. */
function auditable(event: RunEvent): boolean {
  if (event.type === 'progress' || event.type === 'redraw') return false;
  if (event.type === 'note') return event.level === 'warning';
  return true;
}

function toAudit(run: Run, event: RunEvent) {
  const { type, ...rest } = event as RunEvent & { by?: string; step?: string };
  const { by, step, ...detail } = rest;
  const user = by ?? (type === 'created' ? run.requester : undefined);
  if (type === 'created')
    Object.assign(detail, { params: run.params, summary: run.summary, channel: run.channel, planFacts: run.planFacts });
  // Every decision and step result names the plan it belongs to.
  if (run.planHash) Object.assign(detail, { planHash: run.planHash });
  return {
    run: run.id,
    runbook: run.runbook,
    type,
    ...(user !== undefined ? { user } : {}),
    ...(step !== undefined ? { step } : {}),
    detail,
  };
}
