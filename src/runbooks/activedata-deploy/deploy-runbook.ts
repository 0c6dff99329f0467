import type { Runbook, Step, StepOutcome } from '../../engine/index.js';
import type { ActiveDataService, CommitInfo } from '../../targets/activedata/index.js';
import { pullApprovedCommit, resetCheckout } from './checkout-steps.js';
import { serviceFacts } from './service-facts.js';
import { restartService, waitServiceUp, type ServiceCheckState, type ServiceTiming } from './service-check.js';
import {
  activeDataDeploy,
  activeDataRestart,
  activeDataRollback,
  type DeployParams,
  type RestartParams,
  type RollbackParams,
} from './service-params.js';

export interface ActiveDataDeps {
  /** Absent when opsbot.yaml has no `service:`; the Slack side refuses before a run exists. */
  activedata?: ActiveDataService;
  serviceTiming: ServiceTiming;
}

function service(deps: ActiveDataDeps): ActiveDataService {
  if (!deps.activedata)
    throw new Error('opsbot.yaml has no service: section (the ActiveData frontend host): add it and restart the bot');
  return deps.activedata;
}

/**
 * Deploy, rollback and restart all change the one frontend: they take this lock, so one runs at a
 * time, and a failed one whose Revert is still on offer keeps it (a deploy on top would change
 * what that Revert means).
 */
export const ACTIVEDATA_LOCK = 'activedata-frontend';

const RESTART_TITLE = 'Use supervisor to restart service';
const commits = (n: number) => `${n} commit${n === 1 ? '' : 's'}`;
const CHECK_TITLE = 'Wait until supervisor reports RUNNING and the service answers its health URL';

/** What the rollback step has done so far, on top of the service check's own state. */
interface RollbackState extends ServiceCheckState {
  reset?: boolean;
  restarted?: boolean;
}

/**
 * Back to `to` and restart, as one step (an undo is one step): reset the checkout, restart
 * once, then look until the service is up on `to`. `ctx.state` remembers what was done, so a
 * re-check or a restarted worker neither resets nor restarts twice.
 */
function rollbackStep<P>(deps: ActiveDataDeps, id: string, title: string, to: CommitInfo): Step<P, RollbackState> {
  return {
    id,
    title,
    destructive: true,
    async run(ctx): Promise<StepOutcome> {
      const svc = service(deps);
      const st = ctx.state;
      const hint =
        `The checkout is at ${to.short}; look at the host, ` + 'then /activedata restart or /activedata rollback.';
      if (!st.reset) {
        const problem = await resetCheckout(svc, to);
        if (problem) return { status: 'fail', reason: problem };
        st.reset = true;
      }
      if (!st.restarted) {
        const r = await restartService(svc, hint);
        if (!r.ok) return { status: 'fail', reason: r.reason };
        st.restarted = true;
      }
      const up = await waitServiceUp(ctx, svc, to, deps.serviceTiming, hint);
      return up.status === 'done' ? { ...up, summary: `back on ${to.short}: ${up.summary}` } : up;
    },
  };
}

/**
 * The runbook's "Production Deployment Steps" for the ActiveData service, with the checks the
 * issue asks for. The pull and the restart both change the frontend; one approval of the plan
 * card covers both (`approval: 'plan'`): a pulled but not restarted checkout would disagree with
 * what runs. The pull's undo, the rollback to the previous commit, asks for its own approval.
 */
export function deployRunbook(deps: ActiveDataDeps): Runbook<DeployParams> {
  return {
    ...activeDataDeploy,
    facts: () => serviceFacts(deps.activedata),
    lock: () => ACTIVEDATA_LOCK,
    approval: 'plan',
    summary: (p) =>
      `Deploy ActiveData ${p.remote}/${p.branch}: ${p.from.short} → ${p.to.short} (${commits(p.commitCount)})`,
    steps: (p) => {
      const back =
        `The checkout is at ${p.to.short} (it was ${p.from.short}): ` +
        `Revert rolls back to ${p.from.short} once a second person approves.`;
      return [
        {
          id: 'git-pull',
          title: `On the frontend machine run git pull ${p.remote} ${p.branch}`,
          destructive: true,
          run: (ctx) => pullApprovedCommit(ctx, service(deps)),
          undo: rollbackStep(
            deps,
            'rollback-previous',
            `Roll back to the previous commit (${p.from.short}) and restart`,
            p.from,
          ),
        },
        {
          id: 'restart',
          title: RESTART_TITLE,
          destructive: true,
          async run() {
            const r = await restartService(service(deps), back);
            return r.ok ? { status: 'done', summary: r.summary } : { status: 'fail', reason: r.reason };
          },
        },
        {
          id: 'check-service',
          title: CHECK_TITLE,
          async run(ctx) {
            const up = await waitServiceUp(ctx, service(deps), p.to, deps.serviceTiming, back);
            if (up.status !== 'done') return up;
            return {
              status: 'done',
              summary:
                `Deployed ${p.from.short} → ${p.to.short}: ${up.summary}. ` +
                `To go back: /activedata rollback ${p.from.short}`,
            };
          },
        },
      ];
    },
  };
}

/** `/activedata rollback COMMIT`: back to an earlier commit of the checkout, restarted and checked. */
export function rollbackRunbook(deps: ActiveDataDeps): Runbook<RollbackParams> {
  return {
    ...activeDataRollback,
    facts: () => serviceFacts(deps.activedata),
    lock: () => ACTIVEDATA_LOCK,
    summary: (p) => `Roll back ActiveData: ${p.from.short} → ${p.to.short} (${commits(p.commitCount)} taken away)`,
    steps: (p) => [
      rollbackStep(deps, 'rollback', `Return the checkout to ${p.to.short} and restart the service`, p.to),
    ],
  };
}

/** `/activedata restart`: the runbook's second line alone, approved, then the same check. */
export function restartRunbook(deps: ActiveDataDeps): Runbook<RestartParams> {
  return {
    ...activeDataRestart,
    facts: () => serviceFacts(deps.activedata),
    lock: () => ACTIVEDATA_LOCK,
    summary: (p) => `Restart ActiveData (${p.program}) on ${p.commit.short}`,
    steps: (p) => {
      const hint = 'Nothing in the checkout changed: look at the error log (/activedata logs --errors) and the host.';
      return [
        {
          id: 'restart',
          title: RESTART_TITLE,
          destructive: true,
          async run() {
            const r = await restartService(service(deps), hint);
            return r.ok ? { status: 'done', summary: r.summary } : { status: 'fail', reason: r.reason };
          },
        },
        {
          id: 'check-service',
          title: CHECK_TITLE,
          run: (ctx) => waitServiceUp(ctx, service(deps), p.commit, deps.serviceTiming, hint),
        },
      ];
    },
  };
}
