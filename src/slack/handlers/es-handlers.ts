import type { EsCommand } from '../../commands/es-commands.js';
import {
  planAllocation,
  planBounce,
  planDrainRun,
  planMaintain,
  planRollingRestart,
  planUndrain,
  planZone,
} from '../../runbooks/index.js';
import { showHelp } from './help.js';
import { showExplain, showHealth, showRecovery, showSettings, showShards, showStatus } from './es-read.js';
import type { HandlerTable } from './handler-table.js';
import { requestRun } from './run-request.js';

/** /es commands → handlers: the runs through their runbook's plan, the rest read-only. */
export const ES_HANDLERS: HandlerTable<EsCommand> = {
  'es.status': showStatus,
  'es.settings': showSettings,
  'es.recovery': showRecovery,
  'es.shards': showShards,
  'es.explain': showExplain,
  'es.health': showHealth,
  'es.drain': requestRun(planDrainRun),
  'es.undrain': requestRun(planUndrain),
  'es.bounce': requestRun(planBounce),
  'es.rolling-restart': requestRun(planRollingRestart),
  'es.maintain': requestRun(planMaintain),
  'es.allocation': requestRun(planAllocation),
  'es.exclude-zone': requestRun(planZone),
  'es.include-zone': requestRun(planZone),
  'es.help': (_cmd, ctx) => showHelp(ctx, '/es'),
};
