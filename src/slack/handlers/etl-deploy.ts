import type { Command } from '../../commands/types.js';
import { planEtlDeploy } from '../../runbooks/etl-deploy/index.js';
import { problemView } from '../views/error-view.js';
import type { CommandContext } from './context.js';
import { describeEtlProblem, isEtlProblem } from './etl-errors.js';
import { startRunByName } from './run-request.js';

type Cmd<N extends Command['name']> = Extract<Command, { name: N }>;

/**
 * `/etl deploy COMMIT`: the plan (commit, the commits it brings, the fleet to terminate, the queues
 * and buckets its settings name, SpotManager's state) becomes a run whose card is the plan; the
 * first step waits for a second person. A commit that is not in the repository, not a
 * fast-forward, or an estate that cannot be read is answered here, and nothing is created.
 */
export async function requestDeploy(cmd: Cmd<'etl.deploy'>, ctx: CommandContext): Promise<void> {
  if (!ctx.etl) {
    await ctx.reply.toRequester(problemView('The ETL is not wired into this bot.', 'Ask whoever runs the bot.'));
    return;
  }
  let plan;
  try {
    plan = await planEtlDeploy(
      { etl: ctx.etl.targets, clusters: ctx.deps.clusters, estate: ctx.deps.estate },
      cmd.commit,
    );
  } catch (err) {
    if (!isEtlProblem(err)) throw err;
    await ctx.reply.toRequester(
      problemView(`Cannot plan the ETL deploy: ${describeEtlProblem(err, 'the plan')}`, 'Nothing was changed.'),
    );
    return;
  }
  if (!plan.ok) {
    await ctx.reply.toRequester(problemView(plan.reason, 'Nothing was changed.'));
    return;
  }
  await startRunByName(ctx, 'etl.deploy', plan.params);
}

/** `/spot start`: restores SpotManager's ETL cron line, approved (after a deploy that stopped it ended without a revert). */
export async function requestSpotStart(_cmd: Cmd<'spot.start'>, ctx: CommandContext): Promise<void> {
  if (!ctx.etl) {
    await ctx.reply.toRequester(problemView('The ETL is not wired into this bot.', 'Ask whoever runs the bot.'));
    return;
  }
  try {
    const sm = ctx.etl.targets.spotManager();
    const cron = await sm.cronState();
    if (cron.enabled) {
      await ctx.reply.toRequester(
        problemView(`SpotManager is already enabled (its ETL line runs from ${cron.where}).`, 'Nothing to change.'),
      );
      return;
    }
    await startRunByName(ctx, 'spot.start', { where: sm.where });
  } catch (err) {
    if (!isEtlProblem(err)) throw err;
    await ctx.reply.toRequester(
      problemView(`Cannot read SpotManager's cron: ${describeEtlProblem(err, 'cron')}`, 'Nothing was changed.'),
    );
  }
}
