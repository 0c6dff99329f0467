import { problemView } from '../views/error-view.js';
import type { CommandContext } from './context.js';

/**
 * A run without a card cannot be approved (the buttons are on it): when the bot could not post
 * in the channel, the run is withdrawn and the requester told how to fix it.
 */
export async function ensureCardPosted(runId: string, ctx: CommandContext): Promise<void> {
  const run = await ctx.engine.getRun(runId);
  if (!run || run.message) return;
  await ctx.engine.deny(runId, ctx.user, 'the bot could not post its card in this channel');
  await ctx.reply.toRequester(problemView('I could not post the plan card in this channel, so nothing will run.', 'Invite the bot with /invite @opsbot (private channels need it), then ask again.'));
}
