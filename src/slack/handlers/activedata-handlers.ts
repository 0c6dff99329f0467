import type { ActiveDataCommand } from '../../commands/activedata-commands.js';
import { helpView } from '../views/help-view.js';
import { showServiceConfig, showServiceLogs, showServiceStatus } from './activedata-read.js';
import { requestDeploy, requestRestart, requestRollback } from './activedata-runs.js';
import type { HandlerTable } from './handler-table.js';

/** /activedata commands → handlers. */
export const ACTIVEDATA_HANDLERS: HandlerTable<ActiveDataCommand> = {
  'activedata.deploy': requestDeploy,
  'activedata.rollback': requestRollback,
  'activedata.restart': requestRestart,
  'activedata.status': showServiceStatus,
  'activedata.logs': showServiceLogs,
  'activedata.config': showServiceConfig,
  'activedata.help': async (_cmd, ctx) => { await ctx.reply.toRequester(helpView('/activedata')); },
};
