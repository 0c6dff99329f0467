import type { Command } from '../commands/types.js';
import { isOperatorProblem } from '../problem.js';
import { ACTIVEDATA_HANDLERS } from './handlers/activedata-handlers.js';
import type { CommandContext } from './handlers/context.js';
import { ES_HANDLERS } from './handlers/es-handlers.js';
import { ETL_HANDLERS } from './handlers/etl-handlers.js';
import type { Handler, HandlerTable } from './handlers/handler-table.js';
import { OPS_HANDLERS } from './handlers/ops-handlers.js';
import { problemView } from './views/error-view.js';

/** One table from command to handler, a part per slash command. */
const HANDLERS: HandlerTable<Command> = { ...ES_HANDLERS, ...OPS_HANDLERS, ...ACTIVEDATA_HANDLERS, ...ETL_HANDLERS };

/**
 * Runs a parsed command; every failure becomes a message to the requester, never a crash. The
 * operator's problems (see src/problem.ts) are shown as they are, with their next step; anything
 * else is a bug: logged, and the requester told so.
 */
export async function dispatch(cmd: Command, ctx: CommandContext): Promise<void> {
  const handler = HANDLERS[cmd.name] as Handler<Command>;
  try {
    await handler(cmd, ctx);
  } catch (err) {
    const view = isOperatorProblem(err)
      ? problemView(err.message, err.next)
      : problemView(
          'Something went wrong while running that command; it has been logged.',
          "Try again, or check the bot's logs.",
        );
    await ctx.reply
      .toRequester(view)
      .catch((e: unknown) => ctx.log.error({ err: e }, 'could not tell the requester about a failure'));
    if (!isOperatorProblem(err)) ctx.log.error({ err, command: cmd.name }, 'command failed');
  }
}
