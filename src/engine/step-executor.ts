import { describeError, isRetryable } from './errors.js';
import type { Step, StepContext, StepOutcome } from './types.js';

/** What one call of a step came to, before the engine decides what it means for the run. */
export type StepResult =
  | { kind: 'outcome'; outcome: StepOutcome }
  | { kind: 'error'; error: unknown; message: string; retryable: boolean }
  /** The worker is shutting down and the step gave up because of it: call it again elsewhere. */
  | { kind: 'interrupted' };

/**
 * The one generic executor: every step of every runbook (and every undo) goes through here. It
 * knows nothing about what a step does; it calls `run`, and turns whatever comes back, or is
 * thrown, into a `StepResult`.
 */
export async function executeStep(step: Step, ctx: StepContext): Promise<StepResult> {
  let outcome: unknown;
  try {
    outcome = await step.run(ctx);
  } catch (error) {
    if (ctx.signal.aborted) return { kind: 'interrupted' };
    return { kind: 'error', error, message: describeError(error), retryable: isRetryable(error) };
  }
  const problem = invalidOutcome(outcome);
  if (problem) {
    // A runbook bug: failing loudly beats guessing what the step meant.
    const message =
      `step "${step.id}" returned ${problem}; ` + "expected { status: 'done' | 'wait' | 'pause' | 'fail', ... }";
    return { kind: 'error', error: new Error(message), message, retryable: false };
  }
  return { kind: 'outcome', outcome: outcome as StepOutcome };
}

function invalidOutcome(o: unknown): string | undefined {
  if (o === null || typeof o !== 'object') return `${String(o)}`;
  const out = o as Record<string, unknown>;
  switch (out.status) {
    case 'done':
      return out.output !== undefined && (out.output === null || typeof out.output !== 'object')
        ? 'a non-object output'
        : undefined;
    case 'wait':
      return typeof out.recheckInMs === 'number' && Number.isFinite(out.recheckInMs) && out.recheckInMs >= 0
        ? undefined
        : `wait with recheckInMs=${String(out.recheckInMs)}`;
    case 'pause':
      return typeof out.prompt === 'string' && (out.action === 'done' || out.action === 'confirm')
        ? undefined
        : 'a pause without prompt/action';
    case 'fail':
      return typeof out.reason === 'string' ? undefined : 'a fail without reason';
    default:
      return `status=${String(out.status)}`;
  }
}
