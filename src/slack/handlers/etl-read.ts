import type { EtlCommand } from '../../commands/etl-commands.js';
import { readEtlBudget, readEtlStatus, readSpotLog } from '../../runbooks/index.js';
import { budgetView } from '../views/etl-budget-view.js';
import { etlStatusView } from '../views/etl-status-view.js';
import { spotLogView } from '../views/spot-log-view.js';
import type { CommandContext } from './context.js';

type Cmd<N extends EtlCommand['name']> = Extract<EtlCommand, { name: N }>;

/** `/etl status`: SpotManager, the fleet and the queues in one card; a part that cannot be read says why. */
export async function showEtlStatus(_cmd: Cmd<'etl.status'>, ctx: CommandContext): Promise<void> {
  await ctx.reply.toChannel(etlStatusView(await readEtlStatus({ log: ctx.log }, ctx.deps)));
}

/** `/etl budget` without an amount: the budget and what is spent against it; nothing changes. */
export async function showEtlBudget(cmd: Cmd<'etl.budget'>, ctx: CommandContext): Promise<void> {
  await ctx.reply.toChannel(budgetView(await readEtlBudget(cmd, ctx.deps)));
}

/** `/spot log [lines]`: SpotManager's last lines, trouble marked; to the requester alone (lines can hold secrets). */
export async function showSpotLog(cmd: Cmd<'spot.log'>, ctx: CommandContext): Promise<void> {
  await ctx.reply.toRequester(spotLogView(await readSpotLog(cmd, ctx.deps)));
}
