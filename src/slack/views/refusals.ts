import type { ActionResult, RefusalReason, Run } from '../../engine/index.js';
import { escapeMrkdwn } from '../../format.js';

/** A refused action's words: the reason, and for a lock the run that holds it. */
export function refusalOf(result: Exclude<ActionResult, { ok: true }>, action: string, runId: string): string {
  return result.reason === 'locked' ? lockedText(result.holder, action) : refusalText(result.reason, action, runId);
}

/** Another run holds the lock a Revert needs: who, and what to do. */
function lockedText(holder: Run, action: string): string {
  return (
    `Not now: run ${holder.id} (${escapeMrkdwn(holder.summary)}, requested by <@${holder.requester}>, ` +
    `${holder.status.replace('_', ' ')}) holds the lock this ${action} needs, and nothing was changed. ` +
    `Wait for it to end (or cancel it with /ops cancel ${holder.id}), then press Revert again.`
  );
}

/** Why a click or command on a run was refused, said to the person who made it. */
export function refusalText(reason: RefusalReason | 'unknown_run', action: string, runId: string): string {
  switch (reason) {
    case 'not_retryable':
      return (
        `The step that failed in run ${runId} is not safe to repeat as it is. ` +
        `Re-run it instead (/ops rerun ${runId}): a fresh plan from the cluster as it is now, approved again.`
      );
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
    case 'stale_card':
      return (
        'The card you clicked showed a plan or step that is no longer the one waiting: nothing was recorded. ' +
        'Read the current plan below and approve it there if it still makes sense.'
      );
    case 'no_pending':
      return `Run ${runId} is not waiting for that now; your ${action} changed nothing.`;
    case 'unknown_run':
      return `There is no run ${runId}. /ops jobs lists the runs.`;
  }
}
