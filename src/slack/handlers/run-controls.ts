import type { Command } from '../../commands/types.js';
import type { ActionResult } from '../../engine/index.js';
import { rerun } from '../rerun.js';
import { noticeView, problemView } from '../views/error-view.js';
import { refusalText } from '../views/refusals.js';
import type { CommandContext } from './context.js';

type Cmd<N extends Command['name']> = Extract<Command, { name: N }>;

/** Tells the requester what came of a pause, resume or retry: the refusal with its way out, or what happens now. */
async function answer(ctx: CommandContext, result: ActionResult, verb: string, run: string, done: string) {
  if (result.ok) return ctx.reply.toRequester(noticeView(done));
  if (result.reason === 'locked')
    return ctx.reply.toRequester(
      problemView(
        `Run ${result.holder.id} (${result.holder.summary}) holds the lock run ${run} needs.`,
        `Wait for it to end, or cancel it with /ops cancel ${result.holder.id}; then retry.`,
      ),
    );
  return ctx.reply.toRequester(problemView(refusalText(result.reason, verb, run)));
}

export async function pauseRun(cmd: Cmd<'ops.pause'>, ctx: CommandContext): Promise<void> {
  await answer(
    ctx,
    await ctx.engine.pauseRun(cmd.run, ctx.user),
    'pause',
    cmd.run,
    `Pausing run ${cmd.run} at its next safe point (it finishes the step call under way); ` +
      `its card then says what the estate is left in. /ops resume ${cmd.run} goes on.`,
  );
}

export async function resumeRun(cmd: Cmd<'ops.resume'>, ctx: CommandContext): Promise<void> {
  await answer(
    ctx,
    await ctx.engine.resumeRun(cmd.run, ctx.user),
    'resume',
    cmd.run,
    `Run ${cmd.run} goes on where it stopped.`,
  );
}

export async function retryStep(cmd: Cmd<'ops.retry'>, ctx: CommandContext): Promise<void> {
  await answer(
    ctx,
    await ctx.engine.retryStep(cmd.run, ctx.user),
    'retry',
    cmd.run,
    `Run ${cmd.run} runs its failed step again; its card follows it (a destructive step asks for approval first).`,
  );
}

export async function rerunRun(cmd: Cmd<'ops.rerun'>, ctx: CommandContext): Promise<void> {
  if (!ctx.runAs) return ctx.reply.toRequester(problemView('Re-run is not available here.', 'Type the command again.'));
  await rerun(ctx.engine, ctx.runAs, {
    runId: cmd.run,
    user: ctx.user,
    ...(ctx.team ? { team: ctx.team } : {}),
    ...(ctx.triggerId ? { triggerId: ctx.triggerId } : {}),
    reply: ctx.reply,
  });
}
