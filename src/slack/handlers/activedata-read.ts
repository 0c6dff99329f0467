import type { ActiveDataCommand } from '../../commands/activedata-commands.js';
import { readServiceConfigFile, readServiceLogs, readServiceStatus } from '../../runbooks/index.js';
import { configView, logsHeaderView, logsInlineView, serviceStatusView } from '../views/activedata-read-views.js';
import type { CommandContext } from './context.js';

type Cmd<N extends ActiveDataCommand['name']> = Extract<ActiveDataCommand, { name: N }>;

// The queries say what is wrong (no service: configured, an unreachable frontend) as operator
// errors: dispatch shows them to the requester with the next step.

/** `/activedata status`: read-only, answered in the channel. */
export async function showServiceStatus(cmd: Cmd<'activedata.status'>, ctx: CommandContext): Promise<void> {
  await ctx.reply.toChannel(serviceStatusView(await readServiceStatus(cmd, ctx.deps)));
}

/**
 * `/activedata logs [lines] [--grep text] [--errors]`: production lines can hold secrets (masked,
 * but a masker can miss one), so they go to the requester alone: a short ephemeral note, the lines
 * as a snippet in their DM with the bot. Where Slack refuses the DM upload, the newest lines that
 * fit a message are shown ephemerally instead. Never in the channel.
 */
export async function showServiceLogs(cmd: Cmd<'activedata.logs'>, ctx: CommandContext): Promise<void> {
  const { excerpt, host } = await readServiceLogs(cmd, ctx.deps);
  if (excerpt.lines === 0) {
    await ctx.reply.toRequester(logsHeaderView(excerpt, host));
    return;
  }
  const name = excerpt.file.split('/').pop() ?? 'log';
  const shared = await ctx.reply.snippetByDm(ctx.user, {
    filename: `${name.replace(/\.log$/, '')}-last-${excerpt.lines}.log`,
    title: `${excerpt.file} on ${host}`,
    content: `${excerpt.text}\n`,
  });
  await ctx.reply.toRequester(shared ? logsHeaderView(excerpt, host) : logsInlineView(excerpt, host));
}

/**
 * `/activedata config`: supervisord.conf with secrets masked, to the requester alone: in code
 * sections (ephemeral), or, when longer, a snippet in their DM with the bot.
 */
export async function showServiceConfig(cmd: Cmd<'activedata.config'>, ctx: CommandContext): Promise<void> {
  const { file, host } = await readServiceConfigFile(cmd, ctx.deps);
  const { message, fits } = configView(file, host);
  if (fits) {
    await ctx.reply.toRequester(message);
    return;
  }
  const shared = await ctx.reply.snippetByDm(ctx.user, {
    filename: 'supervisord.conf',
    title: `${file.file} on ${host} (secrets masked)`,
    content: `${file.text}\n`,
  });
  await ctx.reply.toRequester(shared ? message : configView(file, host, 8).message);
}
