import { ConfigError } from '../config/config-error.js';
import type { Command, CommandName } from '../commands/types.js';
import { ClusterError, UnknownClusterError, UnknownNodeError } from '../targets/elasticsearch/index.js';
import type { CommandContext } from './handlers/context.js';
import { requestDrain, requestUndrain } from './handlers/es-drain.js';
import { showSettings, showStatus } from './handlers/es-read.js';
import { cancelRun, listJobs, readAudit } from './handlers/ops.js';
import { helpView } from './views/help-view.js';
import { problemView } from './views/error-view.js';

type Handler<N extends CommandName> = (cmd: Extract<Command, { name: N }>, ctx: CommandContext) => Promise<void>;

/** One table from command to handler: adding a command is a grammar entry plus a line here. */
const HANDLERS: { [N in CommandName]: Handler<N> } = {
  'es.status': showStatus,
  'es.settings': showSettings,
  'es.drain': requestDrain,
  'es.undrain': requestUndrain,
  'ops.jobs': listJobs,
  'ops.audit': readAudit,
  'ops.cancel': cancelRun,
  help: async (cmd, ctx) => { await ctx.reply.toRequester(helpView(cmd.slash)); },
};

/** Runs a parsed command; every failure becomes a message to the requester, never a crash. */
export async function dispatch(cmd: Command, ctx: CommandContext): Promise<void> {
  const handler = HANDLERS[cmd.name] as Handler<CommandName>;
  try {
    await handler(cmd as never, ctx);
  } catch (err) {
    await ctx.reply.toRequester(explain(err)).catch((e) => ctx.log.error({ err: e }, 'could not tell the requester about a failure'));
    if (!(err instanceof ClusterError || err instanceof UnknownClusterError || err instanceof UnknownNodeError || err instanceof ConfigError)) {
      ctx.log.error({ err, command: cmd.name }, 'command failed');
    }
  }
}

function explain(err: unknown) {
  if (err instanceof UnknownClusterError) return problemView(err.message, 'Pass --cluster with one of those names.');
  if (err instanceof UnknownNodeError) return problemView(err.message, 'Node names are checked against the cluster\'s own node list.');
  if (err instanceof ClusterError) return problemView(err.message);
  if (err instanceof ConfigError) return problemView(`The bot's configuration is incomplete: ${err.message}`, 'Ask whoever runs the bot to fix it.');
  return problemView('Something went wrong while running that command; it has been logged.', 'Try again, or check the bot\'s logs.');
}
