import { OperatorError } from '../../problem.js';
import { ActiveDataError, type ActiveDataService } from '../../targets/activedata/index.js';
import { SshError } from '../../targets/ssh/index.js';
import { refuse, type PlanResult } from '../plan.js';

/** What the ActiveData plans and queries read the frontend through. */
export interface FrontendDeps {
  /** Absent when opsbot.yaml has no `service:`. */
  activedata?: ActiveDataService;
}

/** A problem of the frontend (or of its configuration) in the operator's words: what, and what next. */
interface FrontendProblem {
  what: string;
  next: string;
}

// Every plan and query reads before anything changes: whatever went wrong, nothing was changed.
const NOTHING_CHANGED = 'Nothing was changed.';

const NO_FRONTEND: FrontendProblem = {
  what: 'No ActiveData frontend is configured.',
  next: 'Ask whoever runs the bot to add a service: section to opsbot.yaml (see opsbot.example.yaml).',
};

/** An unreachable host or a supervisor that does not answer, said once; undefined for anything else (a bug). */
function frontendProblem(err: unknown): FrontendProblem | undefined {
  if (err instanceof SshError)
    return { what: `The ActiveData frontend cannot be reached: ${err.message}`, next: NOTHING_CHANGED };
  if (err instanceof ActiveDataError) return { what: err.message, next: NOTHING_CHANGED };
  return undefined;
}

/**
 * A plan that reads the frontend: no `service:` in opsbot.yaml, an unreachable host, a supervisor
 * that does not answer, each becomes a refusal saying what to do.
 */
export async function planOnFrontend<P>(
  deps: FrontendDeps,
  plan: (svc: ActiveDataService) => Promise<PlanResult<P>>,
): Promise<PlanResult<P>> {
  if (!deps.activedata) return refuse(NO_FRONTEND.what, NO_FRONTEND.next);
  try {
    return await plan(deps.activedata);
  } catch (err) {
    const problem = frontendProblem(err);
    if (problem) return refuse(problem.what, problem.next);
    throw err;
  }
}

/** A read-only query of the frontend: the same problems, thrown as OperatorErrors (shown with their next step). */
export async function readFrontend<T>(deps: FrontendDeps, read: (svc: ActiveDataService) => Promise<T>): Promise<T> {
  if (!deps.activedata) throw new OperatorError(NO_FRONTEND.what, NO_FRONTEND.next);
  try {
    return await read(deps.activedata);
  } catch (err) {
    const problem = frontendProblem(err);
    if (problem) throw new OperatorError(problem.what, problem.next, { cause: err });
    throw err;
  }
}
