import type { OpsCommand } from '../../commands/ops-commands.js';
import { helpView } from '../views/help-view.js';
import type { HandlerTable } from './handler-table.js';
import { cancelRun, listJobs, readAudit } from './ops.js';

/** /ops commands → handlers. */
export const OPS_HANDLERS: HandlerTable<OpsCommand> = {
  'ops.jobs': listJobs,
  'ops.audit': readAudit,
  'ops.cancel': cancelRun,
  'ops.help': async (_cmd, ctx) => { await ctx.reply.toRequester(helpView()); },
};
