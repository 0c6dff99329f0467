import { ConfigError } from '../config/config-error.js';
import type { Command } from '../commands/types.js';
import { RunLockedError } from '../engine/index.js';
import { ClusterError, UnknownClusterError, UnknownNodeError } from '../targets/elasticsearch/index.js';
import { ACTIVEDATA_HANDLERS } from './handlers/activedata-handlers.js';
import type { CommandContext } from './handlers/context.js';
import { ES_HANDLERS } from './handlers/es-handlers.js';
import { ETL_HANDLERS } from './handlers/etl-handlers.js';
import type { Handler, HandlerTable } from './handlers/handler-table.js';
import { OPS_HANDLERS } from './handlers/ops-handlers.js';
import { problemView } from './views/error-view.js';

/** One table from command to handler, a part per slash command. */
const HANDLERS: HandlerTable<Command> = { ...ES_HANDLERS, ...OPS_HANDLERS, ...ACTIVEDATA_HANDLERS, ...ETL_HANDLERS };

/** Runs a parsed command; every failure becomes a message to the requester, never a crash. */
export async function dispatch(cmd: Command, ctx: CommandContext): Promise<void> {
  const handler = HANDLERS[cmd.name] as Handler<Command>;
  try {
    await handler(cmd, ctx);
  } catch (err) {
    await ctx.reply
      .toRequester(explain(err))
      .catch((e) => ctx.log.error({ err: e }, 'could not tell the requester about a failure'));
    if (!(
      err instanceof ClusterError ||
      err instanceof UnknownClusterError ||
      err instanceof UnknownNodeError ||
      err instanceof ConfigError ||
      err instanceof RunLockedError
    )) {
      ctx.log.error({ err, command: cmd.name }, 'command failed');
    }
  }
}

function explain(err: unknown) {
  if (err instanceof UnknownClusterError) return problemView(err.message, 'Pass --cluster with one of those names.');
  if (err instanceof UnknownNodeError)
    return problemView(err.message, "Node names are checked against the cluster's own node list.");
  if (err instanceof ClusterError) return problemView(err.message);
  if (err instanceof RunLockedError)
    return problemView(
      `Not started: ${err.message}`,
      "Two runs that change one cluster's allocation never run at once.",
    );
  if (err instanceof ConfigError)
    return problemView(`The bot's configuration is incomplete: ${err.message}`, 'Ask whoever runs the bot to fix it.');
  return problemView(
    'Something went wrong while running that command; it has been logged.',
    "Try again, or check the bot's logs.",
  );
}
