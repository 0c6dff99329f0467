import type { Run, Step, StepRecord } from './types.js';
import type { WorkerDeps } from './worker-context.js';
import { findRecord, hasEnded } from './transitions.js';

/** A step's budget: its own, else the engine's default (ENGINE_DEFAULTS.stepBudgetMs). */
export function budgetOf(step: Step, run: Run, fallbackMs: number): number {
  const b = step.budgetMs;
  return typeof b === 'function' ? b(run.params) : (b ?? fallbackMs);
}

/** True when the step has run (re-checks included) past its budget and no alarm says so yet. */
export function isOverdue(rec: StepRecord, now: number): boolean {
  return (
    rec.budgetMs !== undefined && rec.startedAt !== undefined && !rec.overdue && now - rec.startedAt > rec.budgetMs
  );
}

/**
 * I5's watchdog: marks the step overdue on the run (the card shows it until the step ends) and
 * says so once in the thread. Safe from two places at once (the call's timer, a re-check): the
 * mark is a compare-and-set, so one of them reports.
 */
export async function raiseOverdue(deps: WorkerDeps, runId: string, stepId: string): Promise<void> {
  const at = deps.now();
  const res = await deps.store.update(runId, (d) => {
    const r = findRecord(d, stepId);
    if (!r || hasEnded(d) || r.overdue || r.status !== 'running' || r.startedAt === undefined) return undefined;
    r.overdue = { at };
    return { budgetMs: r.budgetMs ?? 0, runningMs: at - r.startedAt };
  });
  if (res?.value) await deps.events.emit(res.run, { type: 'overdue', step: stepId, ...res.value });
}

/**
 * What watches one call of a step while it runs: the signal it gets as `ctx.signal`, aborted on
 * worker shutdown or as soon as a cancel of the run is saved (by any process: the run is read
 * every `cancelPollMs`), so a long command ends instead of holding the run; and the watchdog
 * timer that raises `overdue` when the step passes its budget during this very call (a hung
 * call is seen, not only a slow series of re-checks).
 */
export function watchCall(
  deps: WorkerDeps,
  run: Run,
  rec: StepRecord,
): { signal: AbortSignal; cancelSignal: AbortSignal; stop(): void } {
  const ctl = new AbortController();
  const cancel = new AbortController();
  const onShutdown = () => ctl.abort(deps.signal.reason);
  if (deps.signal.aborted) ctl.abort(deps.signal.reason);
  else deps.signal.addEventListener('abort', onShutdown, { once: true });
  const poll = setInterval(() => {
    void deps.store.get(run.id).then(
      (snap) => {
        if (snap && (snap.run.cancelRequested || hasEnded(snap.run))) {
          ctl.abort(new Error('run cancelled'));
          cancel.abort(new Error('run cancelled'));
        }
      },
      () => undefined, // Redis away: the call's own deadlines still hold; look again next time
    );
  }, deps.cancelPollMs);
  poll.unref();
  let timer: NodeJS.Timeout | undefined;
  if (rec.budgetMs !== undefined && rec.startedAt !== undefined && !rec.overdue) {
    const left = rec.startedAt + rec.budgetMs - deps.now();
    timer = setTimeout(() => void raiseOverdue(deps, run.id, rec.id).catch(() => undefined), Math.max(0, left) + 1);
    timer.unref();
  }
  return {
    signal: ctl.signal,
    cancelSignal: cancel.signal,
    stop: () => {
      clearInterval(poll);
      clearTimeout(timer);
      deps.signal.removeEventListener('abort', onShutdown);
    },
  };
}
