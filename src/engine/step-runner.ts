import { executeStep, type StepResult } from './step-executor.js';
import { cancelPending, currentRecord, failRun, findRecord, hasApproval, hasEnded, liveStatus } from './transitions.js';
import type { Progress, Run, RunEvent, Step, StepContext, StepRecord } from './types.js';
import { AGAIN, type Next, type WorkerDeps } from './worker-context.js';
import { budgetOf, isOverdue, raiseOverdue, watchCall } from './step-watch.js';
import { endAlarmsNow, setEndAlarms } from './end-alarms.js';

interface Note {
  text: string;
  level: 'info' | 'warning';
  once: string;
}
interface Applied {
  events: RunEvent[];
  notes: Note[];
  next: 'again' | 'yield' | { delayMs: number };
}

/**
 * Runs one call of the run's current step and checkpoints what came of it: the step's state,
 * its completion (with outputs) or the reason to come back later, in one atomic write. A step is
 * therefore never marked done before its effects, and the next step never starts before the
 * mark. A crash between the call and the write means the step runs again: steps are idempotent.
 */
export class StepRunner {
  constructor(private readonly deps: WorkerDeps) {}

  async run(run: Run, step: Step, index: Map<string, Step>): Promise<Next> {
    const { store, events, now } = this.deps;
    const t0 = now();
    const started = await store.update(run.id, (d) => {
      const r = currentRecord(d);
      // Re-check on the fresh copy: a cancel may have landed since the processor looked.
      if (!r || r.id !== step.id || hasEnded(d) || cancelPending(d)) return undefined;
      if ((r.destructive && !hasApproval(d, r.id)) || (r.pause && !r.resumed)) return undefined;
      if (d.hold) return undefined; // a pause asked since the processor looked: no new call
      const first = r.status === 'pending';
      r.status = 'running';
      r.startedAt ??= t0;
      r.budgetMs ??= budgetOf(step, d, this.deps.stepBudgetMs);
      d.cursor = r.id;
      d.status = liveStatus(d, 'running');
      return { first };
    });
    if (!started?.value) return AGAIN;
    const current = started.run;
    const record = findRecord(current, step.id) as StepRecord;
    if (started.value.first) await events.emit(current, { type: 'step_started', step: step.id });
    // A re-check of a step already past its budget: the watchdog speaks before the call.
    if (isOverdue(record, t0)) await raiseOverdue(this.deps, run.id, step.id);

    const watch = watchCall(this.deps, current, record);
    const call = this.context(current, record, watch);
    let result;
    try {
      result = await executeStep(step, call.ctx);
    } finally {
      watch.stop();
    }

    // A call that may end the run: the estate's alarms are read first, saved with the end (I3).
    // One clock reading for both judgements: "gave up retrying" is decided once, so a run never
    // ends on a later reading than the one that chose whether to read its alarms.
    const at = this.deps.now();
    const alarms = this.mayEndRun(result, record, at) ? await endAlarmsNow(this.deps, current) : undefined;
    const saved = await store.update(run.id, (d) => {
      const applied = applyResult(d, step.id, result, call.ctx.state, call.lastProgress(), this.deps, index, at);
      if (hasEnded(d)) setEndAlarms(d, alarms);
      return applied;
    });
    const applied = saved?.value;
    if (!saved || !applied) return AGAIN;
    for (const note of applied.notes) {
      if (await store.markOnce(run.id, `engine:${note.once}`)) {
        await events.emit(saved.run, { type: 'note', step: step.id, text: note.text, level: note.level });
      }
    }
    for (const event of applied.events) await events.emit(saved.run, event);
    if (applied.next === 'again') return AGAIN;
    if (applied.next === 'yield') return { kind: 'yield' };
    return { kind: 'delay', at: now() + applied.next.delayMs, rev: saved.rev };
  }

  /** Whether this call's result ends the run: a failure, or a retryable error that gives up now. */
  private mayEndRun(result: StepResult, record: StepRecord, now: number): boolean {
    if (result.kind === 'outcome') return result.outcome.status === 'fail';
    if (result.kind !== 'error') return false;
    if (!result.retryable) return true;
    const since = record.retry?.since ?? now;
    return now - since >= this.deps.retry.giveUpAfterMs;
  }

  private context(
    run: Run,
    record: StepRecord,
    signals: { signal: AbortSignal; cancelSignal: AbortSignal },
  ): { ctx: StepContext; lastProgress(): Progress | undefined } {
    const { store, events, now } = this.deps;
    let last: Progress | undefined;
    const ctx: StepContext = {
      run,
      params: run.params,
      step: record,
      state: structuredClone(record.state),
      attempt: record.attempts,
      ...(record.resumed ? { resumed: record.resumed } : {}),
      now,
      log: this.deps.log.child({
        run: run.id,
        runbook: run.runbook,
        step: record.id,
        ...(run.cluster ? { cluster: run.cluster } : {}),
      }),
      signal: signals.signal,
      cancelSignal: signals.cancelSignal,
      progress: async (p) => {
        last = p;
        if (signals.signal.aborted) return; // shut down or lost the run: the card is someone else's now
        // The event carries these figures; the record too, so any card drawn from this run now shows them.
        record.progress = p;
        await events.emit(run, { type: 'progress', step: record.id, progress: p });
      },
      checkpoint: async () => {
        const state = structuredClone(ctx.state);
        await store.update(run.id, (d) => {
          const r = findRecord(d, record.id);
          if (r && !hasEnded(d)) r.state = state;
        });
      },
      landed: async () => {
        if (record.landed) return;
        record.landed = true;
        await store.update(run.id, (d) => {
          const r = findRecord(d, record.id);
          if (r) r.landed = true;
        });
      },
      intent: async (what) => {
        const state = structuredClone(ctx.state);
        const intent = { what, at: now() };
        // Saved before the effect, with the state the step will need to judge it after a crash.
        await store.update(run.id, (d) => {
          const r = findRecord(d, record.id);
          if (r && !hasEnded(d)) {
            r.state = state;
            r.intent = intent;
          }
        });
        record.intent = intent;
      },
      note: async (text, opts) => {
        // A worker that lost the run (paused past its lease) says nothing more in its thread.
        if (!(await store.holdsLease(run.id))) return;
        // Dedupe in Redis, not in memory: a restarted worker must not repost an "once" note.
        if (opts?.once && !(await store.markOnce(run.id, `note:${opts.once}`))) return;
        await events.emit(run, { type: 'note', step: record.id, text, level: opts?.level ?? 'info' });
      },
    };
    return { ctx, lastProgress: () => last };
  }
}

/** Folds one step call into the run draft (pure: may be re-applied after a write conflict). */
function applyResult(
  d: Run,
  stepId: string,
  result: StepResult,
  state: Record<string, unknown>,
  progress: Progress | undefined,
  deps: WorkerDeps,
  index: Map<string, Step>,
  now: number,
): Applied | undefined {
  const r = findRecord(d, stepId);
  if (!r || hasEnded(d)) return undefined;
  r.attempts += 1;
  r.state = state;
  if (progress) r.progress = progress;
  // Shutdown or cancel: look again at once (the processor parks on shutdown, or cancels).
  if (result.kind === 'interrupted') return { events: [], notes: [], next: cancelPending(d) ? 'again' : 'yield' };

  const notes: Note[] = [];
  const fail = (error: string): Applied => {
    const undoable = failRun(d, stepId, error, { index, now, offerTtlMs: deps.undoOfferTtlMs });
    // undefined: the run first takes back what it always does on a stop; it says "failed" when it ends.
    const failed: RunEvent[] = undoable ? [{ type: 'failed', step: stepId, error, undoable }] : [];
    return { events: failed, notes, next: 'again' };
  };
  // While a cancel is pending, every "later" becomes "now": the processor stops at this safe point.
  const later = (delayMs: number): Applied['next'] => (cancelPending(d) ? 'again' : { delayMs });

  if (result.kind === 'error') {
    if (!result.retryable) return fail(result.message);
    const { baseMs, maxMs, giveUpAfterMs } = deps.retry;
    const since = r.retry?.since ?? now;
    const failures = (r.retry?.failures ?? 0) + 1;
    r.retry = { since, failures, lastError: result.message };
    if (now - since >= giveUpAfterMs) {
      return fail(`${result.message} (still failing after ${duration(now - since)} of retries; gave up)`);
    }
    // One warning per outage, not one per attempt: the once-key carries the outage's start.
    notes.push({
      once: `outage:${stepId}:${since}`,
      level: 'warning',
      text: `${r.title}: ${result.message}. Retrying with backoff for up to ${duration(giveUpAfterMs)}.`,
    });
    d.status = liveStatus(d, 'waiting');
    return { events: [], notes, next: later(Math.min(maxMs, baseMs * 2 ** Math.min(failures - 1, 30))) };
  }

  if (r.retry) {
    notes.push({
      once: `recovered:${stepId}:${r.retry.since}`,
      level: 'info',
      text: `${r.title}: recovered after ${r.retry.failures} failed attempt${r.retry.failures === 1 ? '' : 's'}.`,
    });
    delete r.retry;
  }
  const o = result.outcome;
  switch (o.status) {
    case 'fail':
      return fail(o.reason);
    case 'done': {
      r.status = 'done';
      r.endedAt = now;
      if (o.summary !== undefined) r.summary = o.summary;
      Object.assign(d.outputs, o.output ?? {});
      const compensated = r.undoOf ? d.steps.find((s) => s.id === r.undoOf) : undefined;
      if (compensated) compensated.status = 'undone';
      d.cursor = currentRecord(d)?.id;
      d.status = liveStatus(d, 'running');
      const event: RunEvent =
        o.summary !== undefined
          ? { type: 'step_done', step: stepId, summary: o.summary }
          : { type: 'step_done', step: stepId };
      return { events: [event], notes, next: 'again' };
    }
    case 'wait':
      d.status = liveStatus(d, 'waiting');
      return { events: [], notes, next: later(o.recheckInMs) };
    case 'pause':
      r.pause = {
        prompt: o.prompt,
        action: o.action,
        at: now,
        ...(o.label ? { label: o.label } : {}),
        ...(o.offerRevert ? { offerRevert: true } : {}),
        deadlineAt: now + (o.deadlineMs ?? deps.pause.deadlineMs),
      };
      delete r.resumed; // a new question needs a new answer
      d.status = liveStatus(d, 'paused');
      // 'again': the processor's pause watch decides when to look next (the first reminder).
      return { events: [{ type: 'paused', step: stepId, prompt: o.prompt, action: o.action }], notes, next: 'again' };
  }
}

function duration(ms: number): string {
  if (ms < 1000) return `${ms} ms`;
  if (ms < 120_000) return `${Math.round(ms / 1000)} s`;
  if (ms < 7_200_000) return `${Math.round(ms / 60_000)} min`;
  return `${Math.round(ms / 3_600_000)} h`;
}
