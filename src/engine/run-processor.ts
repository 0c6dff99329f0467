import { DelayedError, type Job } from 'bullmq';
import { describeError } from './errors.js';
import type { Snapshot } from './run-store.js';
import type { RunJobs } from './run-jobs.js';
import {
  agedApprovals,
  approvalsFor,
  factChanges,
  factsBaseline,
  factsGuard,
  ownChangeUnread,
  planHashOf,
} from './plan-binding.js';
import { StepRunner } from './step-runner.js';
import {
  cancelPending,
  cancelRun,
  currentRecord,
  endRun,
  failRun,
  finishStop,
  findRecord,
  hasApproval,
  hasEnded,
  isSettled,
  requestApproval,
} from './transitions.js';
import type { Run, RunEvent, Step, StepRecord } from './types.js';
import { AGAIN, type Next, type WorkerDeps } from './worker-context.js';
import { nextPauseWord } from './pause-watch.js';
import { waitInQueue } from './run-queue.js';
import { pauseWatch } from './run-pause-watch.js';
import { endAlarmsNow, setEndAlarms } from './end-alarms.js';
import { approvalReminder, undoOfferReminder } from './wait-reminders.js';

/** How long a pick-up waits for an ended run's card to show the end, and when it asks again. */
const SHOWS_END_WAIT_MS = 20_000;
const SHOWS_END_RETRY_MS = 15_000;

export interface RunJobData {
  runId: string;
}

/**
 * The BullMQ processor: one job per run, carrying only the run id. Each pick-up reads the run
 * from Redis and walks it forward until there is nothing to do now; then it either completes the
 * job (run settled) or parks it as a delayed job (a re-check, an approval, a pause), so a run
 * that waits a day holds no worker slot. All decisions are taken from the stored run, never from
 * job data, so a restarted worker continues exactly where the last checkpoint left off.
 */
export class RunProcessor {
  private readonly runner: StepRunner;

  constructor(
    private readonly deps: WorkerDeps,
    private readonly jobs: RunJobs,
    private readonly isClosing: () => boolean,
    /** This pick-up's lease on the run (RunLease): given back before the job parks. */
    private readonly lease?: { release(): Promise<void> },
  ) {
    this.runner = new StepRunner(deps);
  }

  async process(job: Job<RunJobData>, token: string | undefined): Promise<void> {
    const runId = job.data.runId;
    for (;;) {
      // Between steps is a safe point to stop: the run continues on whichever worker is next.
      if (this.isClosing()) return this.park(job, token, this.deps.now(), undefined);
      const snap = await this.deps.store.get(runId);
      if (!snap) {
        this.deps.log.warn({ run: runId }, 'job for a run that does not exist; dropping it');
        return;
      }
      const next = await this.advance(snap);
      if (next.kind === 'again') continue;
      if (next.kind === 'finished') {
        // The job ends once the card shows the end: a worker killed with the last render in
        // memory left a card "Running" for good; its job, still there, has it drawn again.
        if (await this.deps.events.showsEnd(snap.run, SHOWS_END_WAIT_MS, this.deps.signal))
          return this.deps.store.markSettled(runId);
        return this.park(job, token, this.deps.now() + SHOWS_END_RETRY_MS, undefined);
      }
      return this.park(
        job,
        token,
        next.kind === 'yield' ? this.deps.now() : next.at,
        next.kind === 'delay' ? { runId, rev: next.rev } : undefined,
      );
    }
  }

  /**
   * Moves the job to the delayed set until `at` and ends this pick-up. If the run changed after
   * the decision (an approval or cancel whose promote() found the job still active), promote it
   * back at once: together with the promote in the human action, one of the two always wins.
   */
  private async park(
    job: Job<RunJobData>,
    token: string | undefined,
    at: number,
    basis: { runId: string; rev: number } | undefined,
  ): Promise<never> {
    const { store, now } = this.deps;
    // Given back first, so that a human action waking the job finds the run free for any worker.
    await this.lease?.release();
    // BullMQ schedules on the wall clock; the engine's clock may be a test's. Convert via the delay.
    await job.moveToDelayed(Date.now() + Math.max(0, at - now()), token);
    if (basis && (await store.rev(basis.runId)) !== basis.rev) await this.jobs.wake(basis.runId);
    throw new DelayedError();
  }

  /** One look at the run: decide and do the next thing. */
  private async advance({ run, rev }: Snapshot): Promise<Next> {
    const now = this.deps.now();
    if (isSettled(run)) return { kind: 'finished' };
    if (run.undoOffer && !run.undoOffer.decided) return this.offerTimeout(run, rev, now);
    let index: Map<string, Step>;
    try {
      index = this.deps.registry.index(run);
    } catch (err) {
      return this.fail(run, undefined, describeError(err), new Map());
    }
    if (cancelPending(run)) return this.cancel(run, index);
    const rec = currentRecord(run);
    if (!rec) return this.complete(run, index);
    // A person's pause: this is a safe point (between steps or re-checks), the run stops here.
    if (run.hold) return pauseWatch(this.deps, run, rev, now);
    const step = index.get(rec.id);
    if (!step)
      return this.fail(
        run,
        rec.id,
        `step "${rec.id}" is no longer in runbook "${run.runbook}"; the run cannot continue`,
        index,
      );
    if (rec.pause && !rec.resumed) return this.pauseWatch(run, rev, rec, now);
    const own = ownChangeUnread(run);
    if (own) return this.readOwnFacts(run, own);
    if (rec.destructive && !hasApproval(run, rec.id)) {
      // N of M, some given: woken by an approval, the facts are read again, so that the approvals
      // still to come are asked for the plan as it is (the ones given to the old plan are void).
      if (factsGuard(run, rec) && approvalsFor(run, rec.id).length > 0 && (await this.planChanged(run, rec.id)))
        return AGAIN;
      return this.gate(run, rev, rec.id, now);
    }
    // Queued behind another run: approved (or not needing it), it waits here for the lock.
    if (run.queued) return waitInQueue(this.deps, run, rev);
    if (factsGuard(run, rec) && ((await this.approvalsAged(run, rec.id, now)) || (await this.planChanged(run, rec.id))))
      return AGAIN;
    return this.runner.run(run, step, index);
  }

  /**
   * I5 for pauses: a person is asked (Done, Confirmed) while the estate waits in a state nobody
   * should forget (a node stopped, allocation limited). The job sleeps until the next word is due:
   * a reminder in the thread at growing intervals, and the deadline, announced once and loudly.
   * Nothing is undone by itself: the person decides (Done, or Cancel and Revert).
   */
  private async pauseWatch(run: Run, rev: number, rec: StepRecord, now: number): Promise<Next> {
    const pause = rec.pause!;
    const due = nextPauseWord(pause, this.deps.pause);
    if (now < due) return { kind: 'delay', at: due, rev };
    const res = await this.deps.store.update(run.id, (d) => {
      const r = findRecord(d, rec.id);
      if (!r?.pause || r.resumed || hasEnded(d) || cancelPending(d)) return undefined;
      if (r.pause.at !== pause.at || (r.pause.reminded ?? 0) !== (pause.reminded ?? 0)) return undefined;
      const overdue = r.pause.deadlineAt !== undefined && now >= r.pause.deadlineAt;
      // The deadline's own word does not count as a reminder; later reminders keep their pace.
      if (overdue && r.pause.overdueSince === undefined) r.pause.overdueSince = now;
      else r.pause.reminded = (r.pause.reminded ?? 0) + 1;
      return { overdue, deadlineAt: r.pause.deadlineAt };
    });
    if (res?.value) {
      await this.deps.events.emit(res.run, {
        type: 'pause_reminder',
        step: rec.id,
        waitedMs: now - pause.at,
        overdue: res.value.overdue,
        ...(res.value.deadlineAt !== undefined ? { deadlineAt: res.value.deadlineAt } : {}),
      });
    }
    return AGAIN;
  }

  /**
   * Approvals age (maxApprovalAge), judged as the step comes to run, not at the click: a 'plan'
   * approval given hours before a maintain reaches its stop no longer counts, and the card asks again.
   */
  private async approvalsAged(run: Run, stepId: string, now: number): Promise<boolean> {
    const maxAgeMs = this.deps.maxApprovalAgeMs;
    if (agedApprovals(run, stepId, now, maxAgeMs).length === 0) return false;
    const res = await this.deps.store.update(run.id, (d) => {
      const aged = agedApprovals(d, stepId, now, maxAgeMs);
      for (const a of aged) a.agedOutAt = now;
      return aged.map((a) => a.by);
    });
    if (res?.value.length)
      await this.deps.events.emit(res.run, { type: 'approvals_aged', step: stepId, approvers: res.value, maxAgeMs });
    return true;
  }

  /**
   * Plan binding: the facts are read again just before every destructive step and compared with
   * the facts as the run's own steps left them (factsBaseline). If someone else changed them
   * (another node drained, settings changed), the approvals given to the old plan stop counting
   * and the card asks again, saying what changed.
   */
  private async planChanged(run: Run, stepId: string): Promise<boolean> {
    const runbook = this.deps.registry.get(run.runbook);
    if (!runbook?.facts) return false;
    const facts = await runbook.facts(run.params);
    const baseline = factsBaseline(run);
    const changes = factChanges(baseline, facts);
    if (changes.length === 0) return false;
    const hash = planHashOf(run.runbook, run.params, facts);
    const res = await this.deps.store.update(run.id, (d) => {
      if (d.planHash !== run.planHash || d.ownFacts?.after !== run.ownFacts?.after) return false;
      d.requestFacts ??= d.planFacts; // what "before the run" means stays what the requester saw
      d.planFacts = facts;
      d.planHash = hash;
      if (d.ownFacts) d.ownFacts.facts = facts;
      d.pendingApproval = undefined; // asked again, for the new plan (see gate)
      return true;
    });
    if (res?.value) await this.deps.events.emit(res.run, { type: 'plan_changed', step: stepId, changes });
    return true;
  }

  /**
   * Right after one of the run's own destructive steps finished: its effects are read as the new
   * baseline (see factsBaseline). An unreadable estate keeps the old baseline: the next check then
   * sees the run's own change too and asks again (fail closed), never the reverse.
   */
  private async readOwnFacts(run: Run, after: string): Promise<Next> {
    const runbook = this.deps.registry.get(run.runbook);
    let facts = factsBaseline(run) ?? {};
    try {
      if (runbook?.facts) facts = await runbook.facts(run.params);
    } catch (err) {
      this.deps.log.warn({ err, run: run.id, step: after }, 'facts unreadable after a step; the baseline stays');
    }
    await this.deps.store.update(run.id, (d) => {
      if (ownChangeUnread(d) === after) d.ownFacts = { after, facts };
    });
    return AGAIN;
  }

  /** Two-person rule: a destructive step waits (as a delayed job) for an approval until it expires. */
  private async gate(run: Run, rev: number, stepId: string, now: number): Promise<Next> {
    const { store, events, approvalTtlMs } = this.deps;
    const pending = run.pendingApproval;
    if (pending?.step === stepId) {
      // Not expired: reminded in the thread at growing intervals, sleeping in between.
      if (now < pending.expiresAt) return approvalReminder(this.deps, run, rev, now);
      const afterMs = pending.expiresAt - pending.requestedAt;
      const expired = await store.update(run.id, (d) => {
        if (hasEnded(d) || cancelPending(d) || hasApproval(d, stepId) || d.pendingApproval?.step !== stepId)
          return false;
        endRun(d, 'expired', now);
        return true;
      });
      if (expired?.value) await events.emit(expired.run, { type: 'expired', step: stepId, afterMs });
      return AGAIN;
    }
    const asked = await store.update(run.id, (d) => requestApproval(d, stepId, now, approvalTtlMs));
    if (!asked?.value) return AGAIN;
    const expiresAt = asked.run.pendingApproval?.expiresAt ?? now + approvalTtlMs;
    await events.emit(asked.run, { type: 'approval_requested', step: stepId, expiresAt });
    return AGAIN; // to sleep until its first reminder
  }

  private async complete(run: Run, index: Map<string, Step>): Promise<Next> {
    const { store, events, now, undoOfferTtlMs } = this.deps;
    const t = now();
    const alarms = await endAlarmsNow(this.deps, run);
    const done = await store.update(run.id, (d): RunEvent[] | false => {
      if (hasEnded(d) || cancelPending(d) || currentRecord(d)) return false;
      if (d.stopping) {
        // A stop's own undos are done: the run ends as it was stopping, offering Revert for the rest.
        const { status, step, error } = d.stopping;
        const undoable = finishStop(d, { index, now: t, offerTtlMs: undoOfferTtlMs });
        setEndAlarms(d, alarms);
        if (status === 'failed') return [{ type: 'failed', ...(step ? { step } : {}), error: error ?? '', undoable }];
        const by = d.cancelRequested?.by ?? 'unknown';
        const cancelled: RunEvent[] = [{ type: 'cancelled', by, undoable }];
        if (d.phase === 'undo') cancelled.push({ type: 'reverting', by, steps: d.undoSteps.map((s) => s.id) });
        return cancelled;
      }
      endRun(d, d.phase === 'undo' ? 'reverted' : 'succeeded', t);
      setEndAlarms(d, alarms);
      return [
        d.phase === 'undo' ? { type: 'reverted', by: d.undoOffer?.decided?.by ?? 'unknown' } : { type: 'succeeded' },
      ];
    });
    if (done?.value) for (const ev of done.value) await events.emit(done.run, ev);
    return AGAIN;
  }

  private async cancel(run: Run, index: Map<string, Step>): Promise<Next> {
    const { store, events, now, undoOfferTtlMs } = this.deps;
    const t = now();
    // Cancel and revert goes on reverting: its end is checked again when the revert ends.
    const alarms = await endAlarmsNow(this.deps, run);
    const res = await store.update(run.id, (d) => {
      const undoable = cancelRun(d, { index, now: t, offerTtlMs: undoOfferTtlMs });
      if (undoable) setEndAlarms(d, alarms);
      return undoable;
    });
    if (res?.value) {
      const by = res.run.cancelRequested?.by ?? 'unknown';
      await events.emit(res.run, { type: 'cancelled', by, undoable: res.value });
      if (res.run.phase === 'undo') {
        await events.emit(res.run, { type: 'reverting', by, steps: res.run.undoSteps.map((s) => s.id) });
      }
    }
    return AGAIN;
  }

  private async fail(run: Run, stepId: string | undefined, error: string, index: Map<string, Step>): Promise<Next> {
    const { store, events, now, undoOfferTtlMs } = this.deps;
    const t = now();
    const alarms = await endAlarmsNow(this.deps, run);
    const res = await store.update(run.id, (d) => {
      const undoable = failRun(d, stepId, error, { index, now: t, offerTtlMs: undoOfferTtlMs });
      if (undoable) setEndAlarms(d, alarms);
      return undoable;
    });
    if (res?.value) {
      await events.emit(res.run, { type: 'failed', ...(stepId ? { step: stepId } : {}), error, undoable: res.value });
    }
    return AGAIN;
  }

  /** Nobody chose revert or keep in time: keep (doing nothing is the safe default). */
  private async offerTimeout(run: Run, rev: number, now: number): Promise<Next> {
    const offer = run.undoOffer;
    if (offer && now < offer.expiresAt) return undoOfferReminder(this.deps, run, rev, now);
    const res = await this.deps.store.update(run.id, (d) => {
      if (!d.undoOffer || d.undoOffer.decided) return false;
      d.undoOffer.decided = { by: 'timeout', at: now, choice: 'keep' };
      return true;
    });
    if (res?.value) await this.deps.events.emit(res.run, { type: 'kept', by: 'timeout' });
    return AGAIN;
  }
}
