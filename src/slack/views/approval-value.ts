import type { Run } from '../../engine/index.js';

/**
 * The value of a card's Approve and Deny buttons: the run, the step the card asks about and the
 * hash of the plan it shows. A click then approves what its card showed, never whatever happens
 * to be pending when it lands (see HumanActions.approve's `seen`).
 */
export function approvalValue(run: Run): string {
  return JSON.stringify({ run: run.id, step: run.pendingApproval?.step ?? '', plan: run.planHash ?? '' });
}

/**
 * A clicked Approve/Deny button's value. A bare run id (a card drawn before buttons carried the
 * plan) names no step: its approval is refused as a stale card and the current card is shown.
 */
export function parseApprovalValue(value: string): { runId: string; seen: { step: string; planHash: string } } {
  try {
    const v = JSON.parse(value) as unknown;
    if (v && typeof v === 'object') {
      const { run, step, plan } = v as Record<string, unknown>;
      if (typeof run === 'string')
        return {
          runId: run,
          seen: { step: typeof step === 'string' ? step : '', planHash: typeof plan === 'string' ? plan : '' },
        };
    }
  } catch {
    // not JSON: a bare run id
  }
  return { runId: value, seen: { step: '', planHash: '' } };
}
