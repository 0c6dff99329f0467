import type { EtlCommand } from '../../commands/etl-commands.js';
import { planEtlBackfill, planEtlBudget, planEtlDeploy, planSpotStart } from '../../runbooks/index.js';
import { showEtlBudget, showEtlStatus, showSpotLog } from './etl-read.js';
import type { HandlerTable } from './handler-table.js';
import { showHelp } from './help.js';
import { requestRun } from './run-request.js';

const requestBudget = requestRun(planEtlBudget);

/** /etl and /spot commands → handlers: the runs through their runbook's plan, the rest read-only. */
export const ETL_HANDLERS: HandlerTable<EtlCommand> = {
  'etl.status': showEtlStatus,
  // Without an amount, a look at the budget; with one, a run that changes it.
  'etl.budget': (cmd, ctx) =>
    cmd.amount === undefined ? showEtlBudget(cmd, ctx) : requestBudget({ ...cmd, amount: cmd.amount }, ctx),
  'etl.deploy': requestRun(planEtlDeploy),
  'etl.backfill': requestRun(planEtlBackfill),
  'etl.help': (_cmd, ctx) => showHelp(ctx, '/etl'),
  'spot.log': showSpotLog,
  'spot.start': requestRun(planSpotStart),
  'spot.help': (_cmd, ctx) => showHelp(ctx, '/spot'),
};
