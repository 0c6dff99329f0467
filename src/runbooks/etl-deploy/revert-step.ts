import type { Run, Step } from '../../engine/index.js';
import type { EtlDeployDeps } from './deploy-deps.js';
import { REVERT_DEPLOY, type EtlDeployParams } from './deploy-params.js';
import { terminateFleet } from './fleet-steps.js';
import { failOnOperatorError } from './operator-errors.js';
import { moveEtlBranchBack } from './push-steps.js';
import { runParts, type PartsState, type StepPart } from './step-parts.js';
import { SPOTMANAGER_STOPPED, startSpotManager, stopCron } from './spotmanager-steps.js';

/** EC2's clock and the bot's may differ: an instance launched this long before step 7 still counts as after it. */
export const CLOCK_SKEW_MS = 60_000;

const done = (run: Pick<Run, 'steps'>, id: string) => run.steps.some((s) => s.id === id && s.status === 'done');

/** What the revert of this run does, in order, as the card lists it before it is approved. */
export function revertPlan(run: Pick<Run, 'steps'>, p: EtlDeployParams): string[] {
  const out: string[] = [];
  if (done(run, 'start-spotmanager')) {
    out.push('Stop SpotManager (its ETL cron line disabled again, its log quiet)');
    const fields = run.steps.find((s) => s.id === 'confirm-nothing-blows-up')?.progress?.fields;
    const seen = (fields as Record<string, unknown> | undefined)?.Instances;
    out.push(
      'Terminate the ETL instances started since step 7 (they run the new code) and cancel their spot requests' +
        (typeof seen === 'string' ? ` (at step 8's last look: ${seen})` : ''),
    );
  }
  if (done(run, 'push-etl-branch') && p.from)
    out.push(`Move \`${p.repo.branch}\` back: ${p.commit.short} → ${p.from.short}`);
  out.push('Start SpotManager (exactly the cron line the bot disabled)');
  return out;
}

/**
 * The deploy's revert, as one approved step whatever the run got to: after step 7 (SpotManager
 * already runs the new code) it stops SpotManager again, terminates the instances started since
 * step 7, then, after step 5, moves `etl` back, and always ends with "Start SpotManager". Each
 * part resumes where it was (a restarted worker, a wait). Its id is the one the revert had when it
 * was "Start SpotManager" alone, so runs in flight keep finding it.
 */
export function revertDeploy(deps: EtlDeployDeps): Step<EtlDeployParams, PartsState> {
  return {
    id: 'undo-start-spotmanager',
    title: REVERT_DEPLOY,
    destructive: true,
    // Stop (log quiet), terminate (EC2's own timeout), move etl back, start: the sum, with room.
    budgetMs: () => {
      const d = deps.estate.etl.deploy;
      return d.stopQuietMs + d.terminateTimeoutMs + 30 * 60_000 + 4 * d.pollMs;
    },
    clears: [SPOTMANAGER_STOPPED],
    run: (ctx) =>
      failOnOperatorError(() => {
        const parts: StepPart<EtlDeployParams>[] = [];
        if (done(ctx.run, 'start-spotmanager')) {
          const startedAt = ctx.run.outputs.spotManagerStartedAt;
          parts.push(
            {
              id: 'stop',
              title: 'Stop SpotManager',
              run: (c) =>
                stopCron(deps, c, c.state, {
                  enabled: 'finish the revert by hand (/etl status shows the fleet)',
                  started: 'finish the revert by hand',
                }),
            },
            {
              id: 'terminate',
              title: 'Terminate the ETL instances started since step 7',
              run: (c) =>
                terminateFleet(deps, c, c.state, {
                  what: 'ETL instance(s) started since step 7',
                  stays: 'SpotManager stays stopped and `etl` was not moved back',
                  since: (typeof startedAt === 'number' ? startedAt : 0) - CLOCK_SKEW_MS,
                }),
            },
          );
        }
        if (done(ctx.run, 'push-etl-branch'))
          parts.push({
            id: 'branch',
            title: `Move \`${ctx.params.repo.branch}\` back`,
            run: (c) => moveEtlBranchBack(deps, c.params),
          });
        parts.push({ ...startSpotManager<EtlDeployParams>(deps), id: 'start' });
        return runParts(ctx, parts);
      }),
  };
}
