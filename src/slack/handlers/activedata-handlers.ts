import type { ActiveDataCommand } from '../../commands/activedata-commands.js';
import { planActiveDataDeploy, planActiveDataRestart, planActiveDataRollback } from '../../runbooks/index.js';
import { showHelp } from './help.js';
import { showServiceConfig, showServiceLogs, showServiceStatus } from './activedata-read.js';
import type { HandlerTable } from './handler-table.js';
import { requestRun } from './run-request.js';

/** /activedata commands → handlers: the runs through their runbook's plan, the rest read-only. */
export const ACTIVEDATA_HANDLERS: HandlerTable<ActiveDataCommand> = {
  'activedata.deploy': requestRun(planActiveDataDeploy),
  'activedata.rollback': requestRun(planActiveDataRollback),
  'activedata.restart': requestRun(planActiveDataRestart),
  'activedata.status': showServiceStatus,
  'activedata.logs': showServiceLogs,
  'activedata.config': showServiceConfig,
  'activedata.help': (_cmd, ctx) => showHelp(ctx, '/activedata'),
};
