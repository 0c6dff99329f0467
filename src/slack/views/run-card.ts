import type { types } from '@slack/bolt';
import { allRecords, approvalsFor, requiredApprovals } from '../../engine/index.js';
import type { AnyRunbook, Progress, Run, StepRecord } from '../../engine/types.js';
import { alarmBlocks } from './alarm-view.js';
import { context, divider, header, section, type Block, type SlackMessage } from './blocks.js';
import { progressBlocks } from './progress.js';
import { approvalValue } from './approval-value.js';
import { breakGlassBlocks } from './break-glass-view.js';
import { pauseStatusText, pausingSuffix } from './run-pause-view.js';
import { queuedSuffix } from './refusals.js';
import { cardDetailsFor } from './cards/index.js';
import { duration, escapeMrkdwn } from '../../format.js';
import { scrubSecrets } from '../../log.js';
import { slackTime } from './slack-time.js';

/**
 * Button action ids; the value of each button is the run id (follow-ups: their runbook's FollowUp.id),
 * Approve and Deny: the run, step and plan hash (approval-value.ts).
 */
export const RUN_ACTIONS = {
  approve: 'run_approve',
  deny: 'run_deny',
  cancel: 'run_cancel',
  resume: 'run_resume',
  cancelRevert: 'run_cancel_revert',
  revert: 'run_revert',
  keep: 'run_keep',
  /** A person's pause of the whole run, and its Resume (not a step's Done: that is `resume`). */
  pause: 'run_pause',
  resumeRun: 'run_resume_paused',
  rerun: 'run_rerun',
  retry: 'run_retry_step',
} as const;

const STATUS_LINE: Record<Run['status'], string> = {
  awaiting_approval: ':hourglass_flowing_sand: Waiting for approval',
  running: ':arrows_counterclockwise: Running',
  waiting: ':arrows_counterclockwise: Running',
  paused: ':raised_hand: Waiting for a person',
  succeeded: ':white_check_mark: Done',
  failed: ':x: Failed',
  denied: ':no_entry: Denied',
  expired: ':alarm_clock: Approval expired: nothing was changed',
  cancelling: ':octagonal_sign: Cancelling at the next safe point',
  cancelled: ':octagonal_sign: Cancelled',
  reverting: ':rewind: Reverting',
  reverted: ':rewind: Reverted',
};

const STEP_MARK: Record<StepRecord['status'], string> = {
  pending: ':white_circle:',
  running: ':large_blue_circle:',
  done: ':white_check_mark:',
  skipped: ':fast_forward:',
  failed: ':x:',
  undone: ':rewind:',
};

function button(
  text: string,
  actionId: string,
  value: string,
  style?: 'primary' | 'danger',
  confirm?: { title: string; text: string; ok: string },
): types.Button {
  return {
    type: 'button',
    action_id: actionId,
    value,
    text: { type: 'plain_text', text },
    ...(style ? { style } : {}),
    ...(confirm
      ? {
          confirm: {
            title: { type: 'plain_text', text: confirm.title },
            text: { type: 'mrkdwn', text: confirm.text },
            confirm: { type: 'plain_text', text: confirm.ok },
            deny: { type: 'plain_text', text: 'Back' },
          },
        }
      : {}),
  };
}

function buttonsFor(run: Run, runbook: AnyRunbook | undefined): types.Button[] {
  const step =
    run.steps.find((s) => s.id === run.pendingApproval?.step) ??
    run.undoSteps.find((s) => s.id === run.pendingApproval?.step);
  if (run.status === 'paused' && run.hold?.since !== undefined)
    return [
      button('Resume', RUN_ACTIONS.resumeRun, run.id, 'primary'),
      button('Cancel', RUN_ACTIONS.cancel, run.id, 'danger'),
    ];
  switch (run.status) {
    case 'awaiting_approval':
      return [
        button('Approve', RUN_ACTIONS.approve, approvalValue(run), 'primary', {
          title: 'Approve this step?',
          text: `*${step?.title ?? 'The next step'}* will run on <@${run.requester}>'s request.`,
          ok: 'Approve',
        }),
        button('Deny', RUN_ACTIONS.deny, approvalValue(run), 'danger'),
        button('Cancel', RUN_ACTIONS.cancel, run.id),
      ];
    case 'running':
    case 'waiting':
      return [
        ...(run.hold ? [] : [button('Pause', RUN_ACTIONS.pause, run.id)]),
        button('Cancel', RUN_ACTIONS.cancel, run.id, 'danger', {
          title: 'Cancel this run?',
          text: 'It stops at the next safe point; then you choose to keep or revert what it changed.',
          ok: 'Cancel run',
        }),
      ];
    case 'paused': {
      const pause = run.steps.find((s) => s.id === run.cursor)?.pause;
      return [
        button(pauseButtonLabel(pause), RUN_ACTIONS.resume, run.id, 'primary'),
        ...(pause?.offerRevert
          ? [
              button('Cancel and revert', RUN_ACTIONS.cancelRevert, run.id, 'danger', {
                title: 'Cancel and revert?',
                text: 'The run stops and undoes what it changed, newest change first.',
                ok: 'Cancel and revert',
              }),
            ]
          : []),
        button('Cancel', RUN_ACTIONS.cancel, run.id),
      ];
    }
    case 'expired':
      return againButtons(run);
    case 'cancelled':
    case 'failed':
      if (!run.undoOffer || run.undoOffer.decided) return againButtons(run);
      return [
        button('Revert', RUN_ACTIONS.revert, run.id, 'danger', {
          title: 'Revert?',
          text: `Runs: ${run.undoOffer.undoable.map((id) => titleOf(run, id)).join(', ')}`,
          ok: 'Revert',
        }),
        button('Keep as is', RUN_ACTIONS.keep, run.id),
        ...againButtons(run),
      ];
    case 'succeeded':
      return (runbook?.followUps ?? []).map((f) => button(f.label, f.id, run.id, f.style));
    default:
      return [];
  }
}

/**
 * An ended run that did not succeed: Retry step when the failed step is safe to repeat, and
 * Re-run (the same command again: a fresh plan, approved again) when the run knows its command.
 */
function againButtons(run: Run): types.Button[] {
  const failed = run.status === 'failed' ? run.steps.find((s) => s.status === 'failed') : undefined;
  return [
    ...(failed?.retryable && run.phase === 'forward'
      ? [
          button('Retry step', RUN_ACTIONS.retry, run.id, undefined, {
            title: 'Retry this step?',
            text:
              `*${failed.title}* runs again${failed.destructive ? ', after a fresh approval' : ''}; ` +
              'the run goes on from there.',
            ok: 'Retry step',
          }),
        ]
      : []),
    ...(run.command ? [button('Re-run', RUN_ACTIONS.rerun, run.id)] : []),
  ];
}

/** The resume button of a pause: its step's own label, else Done or Confirmed. */
export function pauseButtonLabel(pause: StepRecord['pause']): string {
  return pause?.label ?? (pause?.action === 'confirm' ? 'Confirmed' : 'Done');
}

/** A Revert on offer on the card (a cancelled or failed run whose offer nobody has answered). */
function revertOpen(run: Run): boolean {
  return (run.status === 'cancelled' || run.status === 'failed') && !!run.undoOffer && !run.undoOffer.decided;
}

function titleOf(run: Run, stepId: string): string {
  const s = run.steps.find((x) => x.id === stepId);
  return s ? s.title : stepId;
}

function statusText(run: Run, now: number, approvers?: string): string {
  const base = STATUS_LINE[run.status];
  const held = pauseStatusText(run);
  if (held) return held;
  if (run.stopping) {
    // A stop first takes back what the plan promised to restore however the run ends.
    const back = run.undoSteps.map((s) => `*${s.title}*`).join(', ');
    const why = run.stopping.status === 'failed' ? ':x: Failed; before it stops' : ':octagonal_sign: Cancelling; first';
    return `${why}: ${back} (always done when a run stops early, no approval needed)`;
  }
  if (run.status === 'awaiting_approval' && run.pendingApproval) {
    const step = allRecords(run).find((s) => s.id === run.pendingApproval!.step);
    const who = approvers ? `one of ${approvers}, not <@${run.requester}>` : `someone other than <@${run.requester}>`;
    const required = requiredApprovals(run);
    const given = approvalsFor(run, run.pendingApproval.step);
    if (required > 1) {
      const ticks = given.map((a) => `<@${a.by}> ✓`).join(', ');
      const left = required - given.length;
      return (
        `${base} of *${step?.title ?? run.pendingApproval.step}*: ` +
        `${given.length} of ${required} approvals${ticks ? `: ${ticks}` : ''} — ` +
        `waiting for ${left === 1 ? 'one more' : `${left} more`} from ${approvers ?? 'the approvers'}, ` +
        `not <@${run.requester}> (expires ${slackTime(run.pendingApproval.expiresAt)})`
      );
    }
    return (
      `${base} of *${step?.title ?? run.pendingApproval.step}* by ${who} ` +
      `(expires ${slackTime(run.pendingApproval.expiresAt)})`
    );
  }
  if (run.status === 'running' || run.status === 'waiting') {
    const step = run.steps.find((s) => s.id === run.cursor);
    if (step?.overdue && step.startedAt !== undefined && step.budgetMs !== undefined)
      return (
        `${base}: *${step.title}*\n:rotating_light: *Overdue*: running for ${duration(now - step.startedAt)}, ` +
        `past its budget of ${duration(step.budgetMs)}. Press *Cancel* if it is stuck.`
      );
    return step ? `${base}: *${step.title}*` : base;
  }
  if (run.status === 'paused') {
    const pause = run.steps.find((s) => s.id === run.cursor)?.pause;
    if (!pause) return base;
    const since = `waiting since ${slackTime(pause.at)}`;
    const when =
      pause.overdueSince !== undefined
        ? `\n:rotating_light: *Overdue*: ${since}, deadline was ${slackTime(pause.deadlineAt ?? pause.overdueSince)}.`
        : pause.deadlineAt !== undefined
          ? ` (${since}; deadline ${slackTime(pause.deadlineAt)})`
          : ` (${since})`;
    return `${base}: ${pause.prompt}${when}`;
  }
  if (run.status === 'succeeded') return `${base} in ${duration((run.endedAt ?? now) - run.createdAt)}`;
  if (run.status === 'failed' && run.error) return `${base}: ${escapeMrkdwn(scrubSecrets(run.error))}`;
  return base;
}

/**
 * The run's parent message: plan, steps, live progress, who asked and approved, the buttons that
 * apply now. `approvers` (mentions) says who may approve while the run waits for it.
 */
export interface CardOptions {
  now?: number;
  /** Who may approve, as mentions, while the run waits for it. */
  approvers?: string;
  /** The run's runbook: its declared alarms and follow-ups. */
  runbook?: AnyRunbook;
  /** The figures of the progress event being shown: newer than what the run's record holds. */
  progress?: { step: string; progress: Progress };
}

export function runCard(run: Run, opts: CardOptions = {}): SlackMessage {
  const now = opts.now ?? Date.now();
  const details = [...breakGlassBlocks(run), ...alarmBlocks(run, opts.runbook), ...cardDetailsFor(run)];
  const current = run.steps.find((s) => s.id === run.cursor);
  const status = statusText(run, now, opts.approvers) + pausingSuffix(run) + queuedSuffix(run);
  const blocks: Block[] = [header(run.summary), section(status), ...details];
  const progress = opts.progress?.step === current?.id ? opts.progress?.progress : current?.progress;
  if (progress && (run.status === 'running' || run.status === 'waiting')) blocks.push(...progressBlocks(progress));
  const steps = allRecords(run).map((s) => `${STEP_MARK[s.status]} ${s.title}${s.summary ? ` — ${s.summary}` : ''}`);
  blocks.push(divider(), section(steps.join('\n')));
  const who = [
    `requested by <@${run.requester}> ${slackTime(run.createdAt)}`,
    ...run.approvals.map((a) => `approved by <@${a.by}> ${slackTime(a.at)}`),
    ...(run.endedAt !== undefined ? [`ended ${slackTime(run.endedAt)}`] : []),
    ...(revertOpen(run) ? [`Revert open until ${slackTime(run.undoOffer!.expiresAt)}`] : []),
  ];
  blocks.push(context(`${who.join(' · ')} · run \`${run.id}\``));
  const buttons = buttonsFor(run, opts.runbook);
  if (buttons.length) blocks.push({ type: 'actions', block_id: `run:${run.id}`, elements: buttons });
  return { text: `${run.summary}: ${STATUS_LINE[run.status].replace(/^:[a-z_]+: /, '')}`, blocks };
}
