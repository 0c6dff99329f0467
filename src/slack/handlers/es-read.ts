import type { Command } from '../../commands/types.js';
import { readAllocationSettings, readClusterStatus, readRecoveryReport } from '../../runbooks/index.js';
import { recoveryView } from '../views/recovery-view.js';
import { settingsView } from '../views/settings-view.js';
import { statusView } from '../views/status-view.js';
import type { CommandContext } from './context.js';

type Cmd<N extends Command['name']> = Extract<Command, { name: N }>;

/** /es status: read-only, answered in the channel. */
export async function showStatus(cmd: Cmd<'es.status'>, ctx: CommandContext): Promise<void> {
  await ctx.reply.toChannel(statusView(await readClusterStatus(cmd, ctx.deps)));
}

/** /es settings: the allocation settings, persistent and transient side by side. */
export async function showSettings(cmd: Cmd<'es.settings'>, ctx: CommandContext): Promise<void> {
  const { cluster, settings } = await readAllocationSettings(cmd, ctx.deps);
  await ctx.reply.toChannel(settingsView(cluster, settings));
}

/** /es recovery: the recovery throttles in force and the shards moving now. */
export async function showRecovery(cmd: Cmd<'es.recovery'>, ctx: CommandContext): Promise<void> {
  await ctx.reply.toChannel(recoveryView(await readRecoveryReport(cmd, ctx.deps)));
}
