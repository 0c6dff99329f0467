import type { Run, RunEvent } from '../../engine/types.js';
import { allRecords } from '../../engine/index.js';
import { duration } from '../../format.js';
import { slackTime } from './slack-time.js';

/**
 * The thread's words for what waits for a person and expires: reminders of a pending approval
 * and of an open Revert offer (growing intervals, see engine/wait-reminders.ts) and their expiry.
 */

/** How a pending approval's expiry reads: how long it was open and that nothing changed. */
export function approvalExpiredText(run: Run, ev: Extract<RunEvent, { type: 'expired' }>): string {
  const title = run.steps.find((s) => s.id === ev.step)?.title ?? ev.step;
  const after = ev.afterMs !== undefined ? ` after ${duration(ev.afterMs)}` : '';
  return (
    `:alarm_clock: Approval expired${after}: nothing was done. Nobody approved *${title}*; ` +
    'request the run again if it is still needed.'
  );
}

/** The Revert offer's expiry (nobody chose Revert or Keep as is in time). */
export const UNDO_OFFER_EXPIRED_TEXT =
  ':alarm_clock: Revert offer expired: the changes stay as they are. To undo them now, run the opposite command ' +
  '(e.g. `/es undrain NODE`).';

/** Thread replies for the reminders; undefined for other events. */
export function reminderThreadText(run: Run, ev: RunEvent): string | undefined {
  const title = (id: string) => allRecords(run).find((s) => s.id === id)?.title ?? id;
  switch (ev.type) {
    case 'approval_reminder':
      return (
        `:bell: *${title(ev.step)}* still waits for approval from someone other than <@${run.requester}>, ` +
        `asked ${duration(ev.waitedMs)} ago. Approve or Deny on the card; the request expires ` +
        `${slackTime(ev.expiresAt)} and then nothing is done.`
      );
    case 'undo_offer_reminder': {
      const changed = (run.undoOffer?.undoable ?? []).map(title).join(', ');
      return (
        `:bell: <@${run.requester}> the Revert offer is still open (${duration(ev.waitedMs)} now)` +
        `${changed ? `: ${changed} stays changed` : ''}. Press *Revert* or *Keep as is* on the card; ` +
        `the offer expires ${slackTime(ev.expiresAt)} and then the changes stay.`
      );
    }
    default:
      return undefined;
  }
}
