import type { EsCommand } from '../../commands/es-commands.js';
import { helpView } from '../views/help-view.js';
import { requestDrain, requestUndrain } from './es-drain.js';
import { showSettings, showStatus } from './es-read.js';
import type { HandlerTable } from './handler-table.js';

/** /es commands → handlers. */
export const ES_HANDLERS: HandlerTable<EsCommand> = {
  'es.status': showStatus,
  'es.settings': showSettings,
  'es.drain': requestDrain,
  'es.undrain': requestUndrain,
  'es.help': async (_cmd, ctx) => { await ctx.reply.toRequester(helpView('/es')); },
};
