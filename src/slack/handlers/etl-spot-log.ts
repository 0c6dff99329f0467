import type { Command } from '../../commands/types.js';
import { problemView } from '../views/error-view.js';
import { spotLogView } from '../views/spot-log-view.js';
import type { CommandContext } from './context.js';
import { describeEtlProblem, isEtlProblem } from './etl-errors.js';

type Cmd<N extends Command['name']> = Extract<Command, { name: N }>;

/** `/spot log [lines]`: the last lines of SpotManager's log, trouble highlighted. */
export async function showSpotLog(cmd: Cmd<'spot.log'>, ctx: CommandContext): Promise<void> {
  if (!ctx.etl) {
    await ctx.reply.toRequester(problemView('The ETL is not wired into this bot.', 'Ask whoever runs the bot.'));
    return;
  }
  try {
    const sm = ctx.etl.targets.spotManager();
    const { lines, missing } = await sm.readLog(cmd.lines);
    await ctx.reply.toChannel(spotLogView(lines, sm.where, sm.logPath, missing));
  } catch (err) {
    if (!isEtlProblem(err)) throw err;
    await ctx.reply.toRequester(problemView(`Cannot read SpotManager's log: ${describeEtlProblem(err, 'log')}`));
  }
}
