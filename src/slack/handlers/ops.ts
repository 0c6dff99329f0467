import type { Command } from '../../commands/types.js';
import { noticeView, problemView } from '../views/error-view.js';
import { auditView, jobsView } from '../views/ops-views.js';
import { refusalOf } from '../views/refusals.js';
import type { CommandContext } from './context.js';

type Cmd<N extends Command['name']> = Extract<Command, { name: N }>;

export async function listJobs(cmd: Cmd<'ops.jobs'>, ctx: CommandContext): Promise<void> {
  await ctx.reply.toRequester(jobsView(await ctx.engine.listRuns({ limit: cmd.count })));
}

export async function readAudit(cmd: Cmd<'ops.audit'>, ctx: CommandContext): Promise<void> {
  await ctx.reply.toRequester(
    auditView(await ctx.engine.audit.read({ count: cmd.count, ...(cmd.run ? { runId: cmd.run } : {}) }), cmd.run),
  );
}

export async function cancelRun(cmd: Cmd<'ops.cancel'>, ctx: CommandContext): Promise<void> {
  const result = await ctx.engine.cancel(cmd.run, ctx.user);
  if (!result.ok) await ctx.reply.toRequester(problemView(refusalOf(result, 'cancel', cmd.run)));
  else
    await ctx.reply.toRequester(
      noticeView(
        `Cancelling run ${cmd.run}: it stops at its next safe point; ` +
          'its card then offers to keep or revert what it changed.',
      ),
    );
}
