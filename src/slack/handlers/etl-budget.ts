import type { Command } from '../../commands/types.js';
import type { BudgetParams } from '../../runbooks/etl-budget/index.js';
import { formatBudget } from '../../targets/spotmanager/index.js';
import { problemView } from '../views/error-view.js';
import { budgetView } from '../views/etl-budget-view.js';
import type { CommandContext } from './context.js';
import type { EtlContext } from './etl-context.js';
import { describeEtlProblem, isEtlProblem } from './etl-errors.js';
import { startRunByName } from './run-request.js';

type Cmd<N extends Command['name']> = Extract<Command, { name: N }>;

/** A typo guard, not a policy: SpotManager's budgets are a few dollars an hour. */
const MAX_BUDGET = 1000;

interface Exposure {
  exposure?: number;
  currentPrice?: number;
  fleetSize?: number;
  loggedExposure?: { exposure: number; at?: number };
  exposureError?: string;
}

/** What is spent against the budget now: EC2's bids, or SpotManager's own last figure if EC2 cannot be asked. */
async function readExposure(etl: EtlContext, ctx: CommandContext): Promise<Exposure> {
  try {
    const fleet = await etl.targets.fleet.listEtlInstances();
    return { exposure: fleet.exposure, currentPrice: fleet.hourlyCost, fleetSize: fleet.members.length };
  } catch (err) {
    if (!isEtlProblem(err)) throw err;
    const out: Exposure = { exposureError: describeEtlProblem(err, 'EC2') };
    try {
      const run = await etl.targets.spotManager().lastRun();
      if (run?.exposure !== undefined)
        out.loggedExposure = { exposure: run.exposure, ...(run.startedAt !== undefined ? { at: run.startedAt } : {}) };
    } catch (e) {
      ctx.log.warn({ err: e }, 'no exposure from the SpotManager log either');
    }
    return out;
  }
}

/**
 * `/etl budget`: shows the budget. `/etl budget AMOUNT`: a run whose one step writes the new
 * budget into the ETL settings file, after a second person approves; the card shows the current
 * exposure and warns when the new budget is below it. A malformed file, an unreachable host or a
 * missing manager host are answered here, and nothing is created.
 */
export async function requestBudget(cmd: Cmd<'etl.budget'>, ctx: CommandContext): Promise<void> {
  const etl = ctx.etl;
  if (!etl) {
    await ctx.reply.toRequester(problemView('The ETL is not wired into this bot.', 'Ask whoever runs the bot.'));
    return;
  }
  let sm;
  let settings;
  try {
    sm = etl.targets.spotManager();
    settings = await sm.readSettings();
  } catch (err) {
    if (!isEtlProblem(err)) throw err;
    await ctx.reply.toRequester(
      problemView(`Cannot read the ETL budget: ${describeEtlProblem(err, 'settings')}`, 'Nothing was changed.'),
    );
    return;
  }
  const exposure = await readExposure(etl, ctx);
  if (cmd.amount === undefined) {
    await ctx.reply.toChannel(
      budgetView({ budget: settings.budget, where: sm.where, settingsPath: settings.path, ...exposure }),
    );
    return;
  }
  if (cmd.amount > MAX_BUDGET) {
    await ctx.reply.toRequester(
      problemView(
        `$${cmd.amount}/hour is more than ${MAX_BUDGET} dollars an hour: that looks like a typo.`,
        'Nothing was changed.',
      ),
    );
    return;
  }
  if (cmd.amount === settings.budget) {
    await ctx.reply.toRequester(
      problemView(`The ETL budget is already $${formatBudget(settings.budget)}/hour.`, 'Nothing to change.'),
    );
    return;
  }
  const { exposureError: _ignored, ...shown } = exposure;
  const params: BudgetParams = {
    before: settings.budget,
    after: cmd.amount,
    where: sm.where,
    settingsPath: settings.path,
    ...shown,
  };
  await startRunByName(ctx, 'etl.budget', params as unknown as Record<string, unknown>);
}
