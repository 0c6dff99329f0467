import type { Command } from '../../commands/types.js';
import { settingsView } from '../views/settings-view.js';
import { statusView } from '../views/status-view.js';
import type { CommandContext } from './context.js';

type Cmd<N extends Command['name']> = Extract<Command, { name: N }>;

/** /es status: read-only, answered in the channel. */
export async function showStatus(cmd: Cmd<'es.status'>, ctx: CommandContext): Promise<void> {
  const cluster = ctx.clusters.get(cmd.cluster);
  const status = await cluster.status();
  await ctx.reply.toChannel(statusView(cluster.name, status));
}

/** /es settings: the allocation settings, persistent and transient side by side. */
export async function showSettings(cmd: Cmd<'es.settings'>, ctx: CommandContext): Promise<void> {
  const cluster = ctx.clusters.get(cmd.cluster);
  await ctx.reply.toChannel(settingsView(cluster.name, await cluster.settings()));
}
