import type { EtlCommand } from '../../commands/etl-commands.js';
import { requestBackfill } from './etl-backfill.js';
import { requestBudget } from './etl-budget.js';
import { requestDeploy, requestSpotStart } from './etl-deploy.js';
import { showSpotLog } from './etl-spot-log.js';
import { showEtlStatus } from './etl-status.js';
import type { HandlerTable } from './handler-table.js';
import { showHelp } from './help.js';

/** /etl and /spot commands → handlers. */
export const ETL_HANDLERS: HandlerTable<EtlCommand> = {
  'etl.status': showEtlStatus,
  'etl.budget': requestBudget,
  'etl.deploy': requestDeploy,
  'etl.backfill': requestBackfill,
  'etl.help': (_cmd, ctx) => showHelp(ctx, '/etl'),
  'spot.log': showSpotLog,
  'spot.start': requestSpotStart,
  'spot.help': (_cmd, ctx) => showHelp(ctx, '/spot'),
};
