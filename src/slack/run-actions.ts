import type { App, BlockButtonAction, RespondFn } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import type { ActionResult, AnyRunbook, Engine } from '../engine/index.js';
import type { Logger } from '../log.js';
import { replyFor, type Reply } from './reply.js';
import { RUN_ACTIONS } from './views/run-card.js';
import { refusalOf } from './views/refusals.js';
import { denyReasonModal, DENY_MODAL } from './views/deny-modal.js';
import { rerun } from './rerun.js';
import { registerQueueAction } from './queue-action.js';
import { parseApprovalValue } from './views/approval-value.js';
import { staleCardReply } from './views/stale-card.js';

type Act = (engine: Engine, runId: string, user: string, seen?: Seen) => Promise<ActionResult>;
/** What the clicked card showed (Approve only): its step and plan hash. */
type Seen = { step: string; planHash: string };

/** Buttons of a run card → engine decisions. Deny asks for a reason in a modal first. */
const DECISIONS: Record<string, { verb: string; act: Act }> = {
  [RUN_ACTIONS.approve]: { verb: 'approval', act: (e, r, u, seen) => e.approve(r, u, seen) },
  [RUN_ACTIONS.cancel]: { verb: 'cancel', act: (e, r, u) => e.cancel(r, u) },
  [RUN_ACTIONS.cancelRevert]: { verb: 'cancel', act: (e, r, u) => e.cancel(r, u, { revert: true }) },
  [RUN_ACTIONS.resume]: { verb: 'click', act: (e, r, u) => e.resume(r, u) },
  [RUN_ACTIONS.revert]: { verb: 'revert', act: (e, r, u) => e.revert(r, u) },
  [RUN_ACTIONS.keep]: { verb: 'choice', act: (e, r, u) => e.keep(r, u) },
  [RUN_ACTIONS.pause]: { verb: 'pause', act: (e, r, u) => e.pauseRun(r, u) },
  [RUN_ACTIONS.resumeRun]: { verb: 'resume', act: (e, r, u) => e.resumeRun(r, u) },
  [RUN_ACTIONS.retry]: { verb: 'retry', act: (e, r, u) => e.retryStep(r, u) },
};

/** Answers to a button on a card are new messages: never replace the card the button is on. */
function newMessagesReply(client: WebClient, respond: RespondFn, channel: string): Reply {
  return replyFor(
    client,
    (msg) =>
      respond(typeof msg === 'string' ? { text: msg, replace_original: false } : { ...msg, replace_original: false }),
    channel,
  );
}

/** Runs a command as a person (the slash command path: parse, access policy, dispatch). */
export type RunCommand = (input: {
  slash: string;
  text: string;
  user: string;
  team?: string;
  channel: string;
  triggerId?: string;
  reply: Reply;
  /** A Re-run: the run this command repeats. */
  rerunOf?: string;
}) => Promise<void>;

/**
 * Registers the run card's buttons. Identity is the signed payload's user id; the engine decides
 * (two-person rule, approvers list, expiry, double clicks) and we only tell a refused clicker why.
 */
export function registerRunActions(
  app: App,
  engine: Engine,
  log: Logger,
  runCommand: RunCommand,
  runbooks: readonly AnyRunbook[],
): void {
  registerQueueAction(app, engine, log);
  for (const [actionId, { verb, act }] of Object.entries(DECISIONS)) {
    app.action<BlockButtonAction>(actionId, async ({ ack, body, action, respond }) => {
      await ack();
      // Approve and Deny carry the step and plan their card showed; the others the run id.
      const bound = actionId === RUN_ACTIONS.approve ? parseApprovalValue(action.value ?? '') : undefined;
      const runId = bound?.runId ?? action.value ?? '';
      const result = await act(engine, runId, body.user.id, bound?.seen);
      log.info(
        {
          run: runId,
          action: actionId,
          user: body.user.id,
          ok: result.ok,
          reason: result.ok ? undefined : result.reason,
        },
        'run button',
      );
      if (!result.ok && result.reason === 'stale_card') {
        // To the clicker alone: why, and the card as it is now (its buttons are for the current plan).
        const run = await engine.getRun(runId);
        const runbook = runbooks.find((r) => r.name === run?.runbook);
        await respond({ ...staleCardReply(refusalOf(result, verb, runId), run, runbook), replace_original: false });
      } else if (!result.ok)
        await respond({
          response_type: 'ephemeral',
          replace_original: false,
          text: refusalOf(result, verb, runId),
        });
    });
  }

  // The runbooks' "if desired" next steps (FollowUp): each starts its command as the person who
  // pressed it, exactly as if they had typed it (same access policy, same approvals).
  const followUps = runbooks.flatMap((rb) => rb.followUps ?? []);
  for (const followUp of followUps) {
    const { id: actionId, command } = followUp;
    app.action<BlockButtonAction>(actionId, async ({ ack, body, action, respond, client }) => {
      await ack();
      const channel = body.channel?.id ?? '';
      log.info({ run: action.value, action: actionId, user: body.user.id }, 'follow-up button');
      const [slash, ...words] = command.split(' ');
      // Never replace the card the button is on: its answers are new messages.
      const reply = newMessagesReply(client, respond, channel);
      await runCommand({
        slash: slash!,
        text: words.join(' '),
        user: body.user.id,
        ...(body.team?.id ? { team: body.team.id } : {}),
        channel,
        triggerId: body.trigger_id,
        reply,
      });
      const run = followUp.hint ? await engine.getRun(action.value ?? '') : undefined;
      const line = run ? followUp.hint?.(run) : undefined;
      if (line) await respond({ response_type: 'ephemeral', replace_original: false, text: line });
    });
  }

  // Re-run: the run's own command again, as the presser (see rerun.ts); answers are new messages.
  app.action<BlockButtonAction>(RUN_ACTIONS.rerun, async ({ ack, body, action, respond, client }) => {
    await ack();
    const channel = body.channel?.id ?? '';
    log.info({ run: action.value, action: RUN_ACTIONS.rerun, user: body.user.id }, 'rerun button');
    const reply = newMessagesReply(client, respond, channel);
    await rerun(engine, runCommand, {
      runId: action.value ?? '',
      user: body.user.id,
      ...(body.team?.id ? { team: body.team.id } : {}),
      triggerId: body.trigger_id,
      reply,
    });
  });

  app.action<BlockButtonAction>(RUN_ACTIONS.deny, async ({ ack, body, action, client }) => {
    await ack();
    await client.views.open({
      trigger_id: body.trigger_id,
      view: denyReasonModal(parseApprovalValue(action.value ?? '').runId, body.channel?.id ?? ''),
    });
  });

  app.view(DENY_MODAL, async ({ ack, body, view, client }) => {
    await ack();
    const { runId, channel } = JSON.parse(view.private_metadata || '{}') as { runId?: string; channel?: string };
    const reason = view.state.values.reason?.text?.value ?? undefined;
    const result = await engine.deny(runId ?? '', body.user.id, reason || undefined);
    if (!result.ok && channel) {
      await client.chat.postEphemeral({
        channel,
        user: body.user.id,
        text: refusalOf(result, 'denial', runId ?? ''),
      });
    }
  });
}
