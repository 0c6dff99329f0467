import { RunLockedError, type Run } from '../../engine/index.js';
import type { Plan, PlanDeps, PlanResult } from '../../runbooks/index.js';
import { dryRunFor } from '../views/cards/index.js';
import { dryRunView } from '../views/dry-run-view.js';
import { noticeView, problemView, refusalView } from '../views/error-view.js';
import { lockedRefusalView } from '../views/refusals.js';
import type { CommandContext } from './context.js';

/**
 * The one way a command asks for a run: its runbook's plan reads the estate and answers a plan or
 * a refusal. A refusal goes to the requester (with what to do next); `--dry-run` shows the plan
 * to the requester alone and touches nothing (no run, no lock, nothing in the channel); otherwise
 * the run is created and its card asks for approval.
 */
export function requestRun<R extends object, P extends object>(
  plan: (request: R, deps: PlanDeps) => Promise<PlanResult<P>>,
): (cmd: R, ctx: CommandContext) => Promise<void> {
  return async (cmd, ctx) => {
    const dryRun = (cmd as { dryRun?: unknown }).dryRun === true;
    const result = await plan(cmd, ctx.deps);
    if (!result.ok) {
      // A dry run says nothing in the channel, not even "nothing to do".
      if (result.nothingToDo && !dryRun) await ctx.reply.toChannel(noticeView(`:white_check_mark: ${result.what}`));
      else if (result.nothingToDo) await ctx.reply.toRequester(noticeView(`:white_check_mark: ${result.what}`));
      else await ctx.reply.toRequester(refusalView(result));
      return;
    }
    if (dryRun) {
      await ctx.reply.toRequester(dryRunFor(result.runbook.name, result.params) ?? dryRunView(result, ctx.commandKey));
      return;
    }
    try {
      await startRun(ctx, result);
    } catch (err) {
      // Another change holds the lock: the refusal offers to queue behind it, when the runbook allows.
      if (!(err instanceof RunLockedError) || !err.queueToken) throw err;
      await ctx.reply.toRequester(lockedRefusalView(err));
    }
  };
}

/**
 * Creates the run a plan describes, under the policy that applies to it (how many approvers,
 * which rule), deduplicated by Slack's trigger id, and makes sure its card could be posted.
 */
export async function startRun<P extends object>(ctx: CommandContext, plan: Plan<P>): Promise<Run> {
  const { run, created } = await ctx.engine.start(plan.runbook, plan.params, {
    requester: ctx.user,
    ...(ctx.team !== undefined ? { team: ctx.team } : {}),
    channel: ctx.channel,
    ...(plan.cluster ? { cluster: plan.cluster } : {}),
    ...(ctx.triggerId ? { idempotencyKey: ctx.triggerId } : {}),
    approvalsRequired: ctx.rule.approvals,
    policyKey: ctx.commandKey,
    ...(ctx.command ? { command: ctx.command } : {}),
    ...(ctx.rerunOf ? { rerunOf: ctx.rerunOf } : {}),
    ...(ctx.breakGlass ? { breakGlass: { reason: ctx.breakGlass } } : {}),
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
