import type { ActiveDataCommand } from '../../commands/activedata-commands.js';
import { showHelp } from './help.js';
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
  'activedata.help': (_cmd, ctx) => showHelp(ctx, '/activedata'),
};
