import { helpEntries } from '../../commands/help.js';
import type { Slash } from '../../commands/types.js';
import { esHelpButtons } from '../views/help-buttons.js';
import { helpView } from '../views/help-view.js';
import type { CommandContext } from './context.js';

/** Help for one slash command (or all), showing only what the asking user may run in this channel. */
export async function showHelp(ctx: CommandContext, slash?: Slash): Promise<void> {
  const allowed = new Set<string>();
  for (const e of helpEntries(slash)) {
    if (!(await ctx.access.refusal(e.key, ctx.user, ctx.channel))) allowed.add(e.key);
  }
  const view = helpView(slash, (key) => allowed.has(key));
  // /es help: buttons for the common commands, before the notes (the last block).
  if (slash === '/es') view.blocks?.splice(-1, 0, ...esHelpButtons((key) => allowed.has(key)));
  await ctx.reply.toRequester(view);
}
