import type { EsCommand } from '../../commands/es-commands.js';
import { showHelp } from './help.js';
import { requestDrain, requestUndrain } from './es-drain.js';
import {
  requestAllocation,
  requestBounce,
  requestMaintain,
  requestRollingRestart,
  requestZone,
} from './es-maintenance.js';
import { showSettings, showStatus } from './es-read.js';
import type { HandlerTable } from './handler-table.js';

/** /es commands → handlers. */
export const ES_HANDLERS: HandlerTable<EsCommand> = {
  'es.status': showStatus,
  'es.settings': showSettings,
  'es.drain': requestDrain,
  'es.undrain': requestUndrain,
  'es.bounce': requestBounce,
  'es.rolling-restart': requestRollingRestart,
  'es.maintain': requestMaintain,
  'es.allocation': requestAllocation,
  'es.exclude-zone': requestZone,
  'es.include-zone': requestZone,
  'es.help': (_cmd, ctx) => showHelp(ctx, '/es'),
};
