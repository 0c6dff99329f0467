import type { Run, RunStatus } from '../../engine/index.js';
import { SERVICE_RUNBOOKS } from './service-params.js';

/** What the runs in flight look like to a plan (see PlanDeps.runs). */
export interface ServiceRuns {
  listRuns(opts: { limit?: number; statuses?: RunStatus[] }): Promise<Run[]>;
}

const LIVE: RunStatus[] = [
  'awaiting_approval',
  'running',
  'waiting',
  'paused',
  'cancelling',
  'reverting',
  'failed',
  'cancelled',
];

/**
 * A service run still in flight, or a failed one whose Revert is still on offer: a second deploy
 * on top would make that revert mean something else. Returns it, or undefined.
 */
export async function serviceRunInFlight(runs: ServiceRuns, now = Date.now()): Promise<Run | undefined> {
  const live = await runs.listRuns({ limit: 50, statuses: LIVE });
  return live.find(
    (r) =>
      SERVICE_RUNBOOKS.includes(r.runbook) &&
      (!['failed', 'cancelled'].includes(r.status) ||
        (r.undoOffer !== undefined && !r.undoOffer.decided && r.undoOffer.expiresAt > now)),
  );
}

/** Why that run stops another one, and what to do about it. */
export function inFlightText(run: Run): string {
  const why =
    run.status === 'failed' || run.status === 'cancelled'
      ? 'ended and still offers Revert / Keep as is on its card: choose one first'
      : `is ${run.status.replace('_', ' ')}`;
  return (
    `run ${run.id} (${run.summary}) ${why}. ` +
    `One change to the frontend at a time; /ops cancel ${run.id} stops a run in flight.`
  );
}
