import type { FollowUp, Runbook } from '../../engine/index.js';
import { spotManagerFacts } from './spot-facts.js';
import type { EtlDeployDeps } from './deploy-deps.js';
import {
  branchMove,
  etlDeploy,
  shortSha,
  spotStart,
  type EtlDeployParams,
  type SpotStartParams,
} from './deploy-params.js';
import { terminateEtlInstances } from './fleet-steps.js';
import { pushEtlBranch } from './push-steps.js';
import { confirmDevelopmentRun, createBucketsAndQueues } from './resource-steps.js';
import { pullSpotManager, spotManagerAlarms, startSpotManager, stopSpotManager } from './spotmanager-steps.js';
import { revertDeploy } from './revert-step.js';
import { confirmNothingBlowsUp } from './watch-step.js';
import { etlBudget } from '../etl-budget/budget-params.js';

/**
 * What stops, starts or reconfigures SpotManager, or changes the ETL code it runs, takes this one
 * lock: the deploy (it stops SpotManager, pushes, starts it again), `/spot start` (a start in the
 * middle of a deploy would run SpotManager on the old ETL code) and `/etl budget` (it edits the
 * settings file the deploy's step 6 pulls into, while SpotManager is stopped for the deploy).
 */
export const ETL_SPOTMANAGER_LOCK = 'etl-spotmanager';

/** Steps 9 and 10, "if desired": buttons on the card once nothing blew up, each a run of its own. */
const ETL_DEPLOY_FOLLOW_UPS: FollowUp[] = [
  { id: 'run_etl_backfill', label: 'Run the backfill', command: '/etl backfill', style: 'primary' },
  {
    id: 'run_etl_budget',
    label: 'Increase SpotManager budget',
    command: '/etl budget',
    hint: (run) => {
      const budget = run.outputs.budget;
      const now =
        typeof budget === 'number'
          ? ` It is $${budget.toFixed(2)}/hour now; e.g. \`/etl budget ${(budget * 1.5).toFixed(2)}\`.`
          : '';
      return (
        `To raise the ETL budget, type \`/etl budget <dollars-per-hour>\`.${now} ` +
        'A second person approves; SpotManager applies it on its next run.'
      );
    },
  },
];

/**
 * The runbook's "Production Deployment Steps" of the ETL, steps 1 to 8 as one resumable run.
 * Stop, terminate and push each wait for their own approval (approval 'step'); the development
 * run needs a person's Confirmed. Steps 9 and 10 ("if desired") are buttons on the card once
 * nothing blew up: the backfill and the budget are runs of their own. A run that ends with
 * SpotManager stopped (step 1 done, neither step 7 nor the revert) says so on its card.
 */
export function etlDeployRunbook(deps: EtlDeployDeps): Runbook<EtlDeployParams> {
  return {
    ...etlDeploy,
    alarms: spotManagerAlarms,
    followUps: ETL_DEPLOY_FOLLOW_UPS,
    lock: () => ETL_SPOTMANAGER_LOCK,
    // Step 8 runs SpotManager on the new code and its advice may be "/etl budget N": the budget's
    // edit is then safe (SpotManager is running, step 6's pull is done), so it goes on beside it.
    lendsLock: { at: ['confirm-nothing-blows-up'], to: [etlBudget.name] },
    summary: (p) =>
      `Deploy the ETL: ${p.repo.branch} ${branchMove(p)} (${p.commitCount} commit${p.commitCount === 1 ? '' : 's'})`,
    // What the approver of "Stop SpotManager" decides on, read again before each of its calls: where
    // the branch is. Nothing that step 1 itself changes (SpotManager's cron) may be here, or its own
    // first call would void its approval.
    facts: async (p) => {
      const head = await deps.etl.repo().remoteHead();
      return { [`${p.repo.remote}/${p.repo.branch}`]: head ? shortSha(head) : '(no branch)' };
    },
    steps: () => [
      // Revert, whatever the run got to, is one approved step: see revertDeploy.
      stopSpotManager(deps, revertDeploy(deps)),
      terminateEtlInstances(deps),
      createBucketsAndQueues(deps),
      confirmDevelopmentRun(deps),
      pushEtlBranch(deps),
      pullSpotManager(deps),
      startSpotManager(deps),
      confirmNothingBlowsUp(deps),
    ],
  };
}

/** `/spot start`: "Start SpotManager" alone, approved; for a deploy that stopped it and then ended without a revert. */
export function spotStartRunbook(deps: EtlDeployDeps): Runbook<SpotStartParams> {
  return {
    ...spotStart,
    facts: () => spotManagerFacts(deps.etl),
    summary: (p) => `Start SpotManager on ${p.where}`,
    // The deploy's own lock: between its step 1 and step 7 it stops and starts SpotManager itself,
    // and a start then would run SpotManager on the old ETL code (refused, naming the deploy's run).
    lock: () => ETL_SPOTMANAGER_LOCK,
    steps: [startSpotManager(deps, { id: 'start-spotmanager', approved: true })],
  };
}
