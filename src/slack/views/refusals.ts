import type { RefusalReason } from '../../engine/index.js';

/** Why a click or command on a run was refused, said to the person who made it. */
export function refusalText(reason: RefusalReason | 'unknown_run', action: string, runId: string): string {
  switch (reason) {
    case 'self':
      return 'You requested this run: a second person must approve it (two-person rule).';
    case 'reverter':
      return 'You chose to revert this run: a second person must approve the revert (two-person rule).';
    case 'not_approver':
      return 'You are not in the approvers list for this step. Ask one of the approvers named in opsbot.yaml.';
    case 'expired':
      return 'This approval request has expired and nothing was changed. Request the run again if it is still needed.';
    case 'already_decided':
      return `This was already decided; your ${action} changed nothing.`;
    case 'already_approved':
      return 'You already approved this; it needs another approver (one person counts once).';
    case 'no_pending':
      return `Run ${runId} is not waiting for that now; your ${action} changed nothing.`;
    case 'unknown_run':
      return `There is no run ${runId}. /ops jobs lists the runs.`;
  }
}
