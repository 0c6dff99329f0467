import { approvalsFor, type Engine, type Run } from '../../engine/index.js';
import type { AccessPolicy } from '../access-policy.js';

/** What one person's Home tab shows: the runs waiting for their approval, their own runs, every active run. */
export interface HomeRuns {
  awaitingMe: Run[];
  mine: Run[];
  active: Run[];
}

/** Most rows a list of the Home tab shows (a Home view holds at most 100 blocks). */
export const HOME_LIST_MAX = 10;

/**
 * Reads the runs for `user`'s Home tab: active runs from the engine's active set (O(active runs)),
 * their own recent runs from the newest 100. An approval is theirs to give when they may approve
 * the run, did not request it, and have not approved the step already.
 */
export async function homeRuns(engine: Engine, access: AccessPolicy, user: string): Promise<HomeRuns> {
  const [active, recent] = await Promise.all([engine.activeRuns(), engine.listRuns({ limit: 100 })]);
  active.sort((a, b) => b.createdAt - a.createdAt);
  const awaitingMe: Run[] = [];
  for (const run of active) {
    const step = run.pendingApproval?.step;
    if (run.status !== 'awaiting_approval' || !step || run.requester === user) continue;
    if (approvalsFor(run, step).some((a) => a.by === user)) continue;
    if (await access.canApprove(user, run)) awaitingMe.push(run);
  }
  return {
    awaitingMe: awaitingMe.slice(0, HOME_LIST_MAX),
    mine: recent.filter((r) => r.requester === user).slice(0, HOME_LIST_MAX),
    active: active.slice(0, HOME_LIST_MAX),
  };
}
