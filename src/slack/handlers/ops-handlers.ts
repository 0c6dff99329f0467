import type { OpsCommand } from '../../commands/ops-commands.js';
import { showHelp } from './help.js';
import type { HandlerTable } from './handler-table.js';
import { cancelRun, listJobs, readAudit } from './ops.js';
import { pauseRun, rerunRun, resumeRun, retryStep } from './run-controls.js';

/** /ops commands → handlers. */
export const OPS_HANDLERS: HandlerTable<OpsCommand> = {
  'ops.jobs': listJobs,
  'ops.audit': readAudit,
  'ops.cancel': cancelRun,
  'ops.pause': pauseRun,
  'ops.resume': resumeRun,
  'ops.rerun': rerunRun,
  'ops.retry': retryStep,
  'ops.help': (_cmd, ctx) => showHelp(ctx),
};
