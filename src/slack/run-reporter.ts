import type { WebClient } from '@slack/web-api';
import type { AnyRunbook, CardRef, Run, RunEvent, RunReporter } from '../engine/types.js';
import { allRecords } from '../engine/index.js';
import type { Logger } from '../log.js';
import { CardUpdater } from './card-updater.js';
import { pauseButtonLabel, runCard, type CardOptions } from './views/run-card.js';
import { pauseThreadText } from './views/run-pause-view.js';
import { duration, escapeMrkdwn } from '../format.js';
import { scrubSecrets } from '../log.js';
import { slackTime } from './views/slack-time.js';
import { approvalExpiredText, reminderThreadText, UNDO_OFFER_EXPIRED_TEXT } from './views/reminder-view.js';

/** A thread reply for each transition worth a notification; progress only updates the card. */
function threadText(run: Run, ev: RunEvent): string | undefined {
  const title = (id: string) => allRecords(run).find((s) => s.id === id)?.title ?? id;
  const approvers = [...new Set(run.approvals.map((a) => `<@${a.by}>`))].join(', ');
  switch (ev.type) {
    case 'approval_requested':
      return `:raising_hand: *${title(ev.step)}* needs approval from someone other than <@${run.requester}>.`;
    case 'approved': {
      const more =
        ev.required && ev.count !== undefined && ev.count < ev.required
          ? ` (${ev.count} of ${ev.required}: waiting for ${ev.required - ev.count} more)`
          : '';
      return `:ballot_box_with_check: <@${ev.by}> approved *${title(ev.step)}*${more}.`;
    }
    case 'plan_changed': {
      const changes = ev.changes.map(
        (c) => `• ${escapeMrkdwn(`${c.key}: ${c.before ?? '(unset)'} → ${c.after ?? '(unset)'}`)}`,
      );
      return (
        ':warning: The plan changed since it was approved, so the approval no longer counts:\n' +
        `${changes.join('\n')}\nApprove again if it still makes sense.`
      );
    }
    case 'break_glass':
      return (
        `:rotating_light: *Break-glass*: <@${ev.by}> runs this alone, without a second approval. ` +
        `Reason: ${escapeMrkdwn(ev.reason)}`
      );
    case 'approvals_aged': {
      const who = ev.approvers.map((u) => `<@${u}>`).join(', ');
      return (
        `:hourglass: *${title(ev.step)}* is about to run, but the approval of ${who} is older than ` +
        `${duration(ev.maxAgeMs)} (maxApprovalAge), so it no longer counts. Approve again if it still makes sense.`
      );
    }
    case 'denied': {
      const why = ev.reason ? `: ${escapeMrkdwn(ev.reason)}` : '';
      return `:no_entry: <@${ev.by}> denied the run${why}. Nothing was changed.`;
    }
    case 'expired':
      return approvalExpiredText(run, ev);
    case 'step_done':
      // The last step's summary is the run's result: the 'succeeded' reply says it, with who and how long.
      if (run.phase === 'forward' && run.steps[run.steps.length - 1]?.id === ev.step) return undefined;
      return `:white_check_mark: *${title(ev.step)}*${ev.summary ? ` — ${ev.summary}` : ''}`;
    case 'note':
      return `${ev.level === 'warning' ? ':warning: ' : ''}${ev.text}`;
    case 'paused':
      return `:raised_hand: <@${run.requester}> ${ev.prompt}`;
    case 'resumed':
      return `:arrow_forward: <@${ev.by}> pressed ${pauseButtonLabel(run.steps.find((s) => s.id === ev.step)?.pause)}.`;
    case 'pause_reminder': {
      const pause = run.steps.find((s) => s.id === ev.step)?.pause;
      const button = `*${pauseButtonLabel(pause)}*`;
      const waited = duration(ev.waitedMs);
      if (ev.overdue)
        return (
          `:rotating_light: <@${run.requester}> *${title(ev.step)}* is past its deadline: waiting for ${button} ` +
          `for ${waited}${pause ? `, asked: ${pause.prompt}` : ''}. The estate stays as it is until someone ` +
          `answers: press ${button} on the card, or *Cancel* and then *Revert*.`
        );
      const left = ev.deadlineAt !== undefined ? ` (deadline ${slackTime(ev.deadlineAt)})` : '';
      return `:bell: <@${run.requester}> still waiting for ${button} on *${title(ev.step)}*, ${waited} now${left}.`;
    }
    case 'overdue':
      return (
        `:rotating_light: *${title(ev.step)}* has been running for ${duration(ev.runningMs)}, past its budget of ` +
        `${duration(ev.budgetMs)}. It goes on; look at the cluster (/es status), and press *Cancel* on the card ` +
        'if it is stuck.'
      );
    case 'succeeded': {
      const last = [...run.steps].reverse().find((s) => s.summary)?.summary;
      const approved = approvers ? `, approved by ${approvers}` : '';
      const took = duration((run.endedAt ?? Date.now()) - run.createdAt);
      return `:tada: ${last ?? 'Done'}. <@${run.requester}>${approved} · took ${took}`;
    }
    case 'failed': {
      // The state reached and what to do: what is already changed, and the way back.
      const done = run.steps
        .filter((s) => s.status === 'done')
        .map((s) => `• ${s.title}${s.summary ? ` — ${s.summary}` : ''}`);
      const reached = done.length ? `\nDone before the failure:\n${done.join('\n')}` : '\nNothing was changed.';
      const next = ev.undoable.length
        ? '\nWhat it changed can be reverted from the card: fix the cause, then press *Revert* on the card ' +
          'to undo those changes, or *Keep as is* and request the run again.'
        : '';
      const at = ev.step ? ` at *${title(ev.step)}*` : '';
      return `:x: <@${run.requester}> the run failed${at}: ${escapeMrkdwn(scrubSecrets(ev.error))}${reached}${next}`;
    }
    case 'cancel_requested':
      return `:octagonal_sign: <@${ev.by}> asked to cancel; stopping at the next safe point.`;
    case 'cancelled':
      // "Cancel and revert": the revert is already chosen; its own reply follows.
      if (run.phase === 'undo') return `:octagonal_sign: Cancelled by <@${ev.by}>, who chose to revert it.`;
      return (
        `:octagonal_sign: Cancelled by <@${ev.by}>.` +
        (ev.undoable.length
          ? ` It changed: ${ev.undoable.map(title).join(', ')}. Revert or keep, from the card.`
          : ' Nothing to revert.')
      );
    case 'reverting':
      return `:rewind: <@${ev.by}> chose to revert: ${ev.steps.map(title).join(', ')}.`;
    case 'kept':
      return ev.by === 'timeout' ? UNDO_OFFER_EXPIRED_TEXT : `<@${ev.by}> kept the changes as they are.`;
    case 'reverted':
      return ':rewind: Reverted.';
    default:
      return pauseThreadText(run, ev) ?? reminderThreadText(run, ev);
  }
}

/**
 * The engine's progress interface, in Slack: the run's parent message is its live card
 * (throttled chat.update) and transitions are thread replies. The WebClient honours Slack's
 * Retry-After on 429 itself; a card update that still fails is retried with the next one.
 */
export interface ReporterOptions {
  /** Who may approve a run, as mentions, for its card while it waits. */
  approvers?: (run: Run) => string;
  /** The runbook of a run (its declared alarms and follow-ups), by name. */
  runbooks?: (name: string) => AnyRunbook | undefined;
  /** Tells the approvers privately when a run asks for their approval (see home/approver-dm.ts). */
  approvalAsked?: (run: Run, step: string) => Promise<void>;
  /**
   * The client of card updates: one that does not retry by itself (the updater retries with the
   * latest render, so an outage ends with one update per card, not every render queued in it).
   */
  cardClient?: WebClient;
}

export class SlackRunReporter implements RunReporter {
  constructor(
    private readonly client: WebClient,
    private readonly updater: CardUpdater,
    private readonly log: Logger,
    private readonly opts: ReporterOptions = {},
  ) {}

  private card(run: Run, progress?: CardOptions['progress']) {
    return runCard(run, {
      approvers: this.opts.approvers?.(run),
      runbook: this.opts.runbooks?.(run.runbook),
      ...(progress ? { progress } : {}),
    });
  }

  /** Posts the card on 'created' and returns where: the engine records it as the run's thread. */
  async onEvent(run: Run, ev: RunEvent): Promise<CardRef | undefined> {
    if (ev.type === 'created') {
      // The run's card is its thread: posted once, when the run is created.
      const card = this.card(run);
      const r = await this.client.chat.postMessage({ channel: run.channel, text: card.text, blocks: card.blocks });
      return r.ts ? { channel: r.channel ?? run.channel, ts: r.ts } : undefined;
    }
    // A refused click changes nothing on the card; the clicker is told privately by the action handler.
    if (ev.type === 'approval_refused') return undefined;
    const msg = run.message;
    if (!msg) {
      this.log.warn({ run: run.id, event: ev.type }, 'run has no Slack message yet; event not shown');
      return undefined;
    }
    // A progress event carries the figures of the poll it reports: the card shows those.
    const progress = ev.type === 'progress' ? { step: ev.step, progress: ev.progress } : undefined;
    await this.pushCard(run, msg, ev.type !== 'progress', progress);
    const text = threadText(run, ev);
    if (text) await this.client.chat.postMessage({ channel: msg.channel, thread_ts: msg.ts, text });
    if (ev.type === 'approval_requested') await this.opts.approvalAsked?.(run, ev.step);
    return undefined;
  }

  /**
   * An ended run's card shows its end once a render of this revision (or a later one) reached
   * Slack, from any process. If none did and none is on its way here (the process that had it
   * was killed with the render in memory), it is drawn again.
   */
  async showsEnd(run: Run, timeoutMs: number): Promise<boolean> {
    const msg = run.message;
    if (!msg) return true;
    const key = cardKey(msg);
    const until = Date.now() + timeoutMs;
    if (!(await this.updater.idle(key, timeoutMs))) return false;
    if (await this.updater.shows(key, run.updatedAt)) return true;
    await this.pushCard(run, msg, true);
    if (!(await this.updater.idle(key, until - Date.now()))) return false;
    return this.updater.shows(key, run.updatedAt);
  }

  private pushCard(run: Run, msg: CardRef, urgent: boolean, progress?: CardOptions['progress']): Promise<void> {
    return this.updater.push(
      cardKey(msg),
      async () => {
        const card = this.card(run, progress);
        await (this.opts.cardClient ?? this.client).chat.update({
          channel: msg.channel,
          ts: msg.ts,
          text: card.text,
          blocks: card.blocks,
        });
      },
      urgent,
      // The run's revision: no process sends this render after one of a later revision.
      run.updatedAt,
    );
  }
}

const cardKey = (msg: CardRef) => `${msg.channel}:${msg.ts}`;
