import {
  lockedMessage,
  type ActionResult,
  type RefusalReason,
  type Run,
  type RunLockedError,
} from '../../engine/index.js';
import { scrubSecrets } from '../../log.js';
import { context, escapeMrkdwn, section, type Block, type SlackMessage } from './blocks.js';

/** A Slack user id as a mention; anything else (it is not Slack's) as escaped text. */
const userMention = (id: string) => (/^[UW][A-Z0-9]{2,}$/.test(id) ? `<@${id}>` : escapeMrkdwn(id));

/** A refused action's words: the reason, and for a lock the run that holds it. */
export function refusalOf(result: Exclude<ActionResult, { ok: true }>, action: string, runId: string): string {
  return result.reason === 'locked' ? lockedText(result.holder, action) : refusalText(result.reason, action, runId);
}

/** Another run holds the lock a Revert needs: who, and what to do. */
function lockedText(holder: Run, action: string): string {
  return (
    `Not now: run ${holder.id} (${escapeMrkdwn(holder.summary)}, requested by ${userMention(holder.requester)}, ` +
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

/** The button of a lock refusal that queues the request behind the holder (value: the offer's token). */
export const QUEUE_ACTION = 'run_queue_behind';

/**
 * A request refused because another run holds its lock: who holds it and what to do, and, when
 * the runbook allows it, "Queue behind run X" (approved now, started when the lock frees).
 */
export function lockedRefusalView(err: RunLockedError): SlackMessage {
  // The summary is escaped (cluster and command text); the requester is mentioned, as the bot's own words.
  const what = lockedMessage(err.lock, err.holder, err.queueToken !== undefined, {
    text: (t) => escapeMrkdwn(scrubSecrets(t)),
    user: userMention,
  });
  const blocks: Block[] = [section(`:x: ${what}`)];
  if (err.queueToken) {
    blocks.push(
      context(
        `Or queue it: it is approved as usual now, waits without running anything, starts when run ${err.holder.id} ` +
          'lets go of the lock, and asks again if the cluster changed meanwhile. It can be cancelled while it waits.',
      ),
      {
        type: 'actions',
        elements: [
          {
            type: 'button',
            text: { type: 'plain_text', text: `Queue behind run ${err.holder.id}` },
            action_id: QUEUE_ACTION,
            value: err.queueToken,
          },
        ],
      },
    );
  }
  // The fallback text (notifications, screen readers) is mrkdwn too: the same escaped words.
  return { text: what, blocks };
}

/** The card's line while a run waits in the queue. */
export function queuedSuffix(run: Run): string {
  if (!run.queued) return '';
  return `\n:hourglass_flowing_sand: *Queued behind run ${run.queued.behind}*: starts when it lets go of the lock.`;
}

/** What the person who pressed "Queue behind run X" is told. */
export function queuedReply(run: Run, created: boolean): string {
  if (run.queued)
    return created
      ? `Queued behind run ${run.queued.behind}: its card is in the channel; it starts when that run ends.`
      : `Already queued as run ${run.id}, behind run ${run.queued.behind}.`;
  return `Run ${run.id} was created: the lock was free by then, so it is not queued. Its card is in the channel.`;
}
