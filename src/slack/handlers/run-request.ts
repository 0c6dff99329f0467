import type { Run } from '../../engine/index.js';
import { problemView } from '../views/error-view.js';
import type { CommandContext } from './context.js';

/**
 * Creates the run a command asked for, under the policy that applies to it (how many approvers,
 * which rule), deduplicated by Slack's trigger id, and makes sure its card could be posted.
 */
export async function startRun(
  ctx: CommandContext,
  runbook: string,
  params: Record<string, unknown>,
  cluster?: string,
): Promise<Run> {
  const { run, created } = await ctx.engine.createRun({
    runbook,
    params,
    requester: ctx.user,
    team: ctx.team,
    channel: ctx.channel,
    ...(cluster ? { cluster } : {}),
    ...(ctx.triggerId ? { idempotencyKey: ctx.triggerId } : {}),
    approvalsRequired: ctx.rule.approvals,
    policyKey: ctx.commandKey,
  });
  // A retried delivery of the same command finds the run; its card is the first delivery's business.
  if (created) await ensureCardPosted(run.id, ctx);
  return run;
}

/**
 * A run without a card cannot be approved (the buttons are on it): when the bot could not post
 * in the channel, the run is withdrawn and the requester told how to fix it.
 */
async function ensureCardPosted(runId: string, ctx: CommandContext): Promise<void> {
  const run = await ctx.engine.getRun(runId);
  if (!run || run.message) return;
  await ctx.engine.deny(runId, ctx.user, 'the bot could not post its card in this channel');
  await ctx.reply.toRequester(
    problemView(
      'I could not post the plan card in this channel, so nothing will run.',
      'Invite the bot with /invite @opsbot (private channels need it), then ask again.',
    ),
  );
}
