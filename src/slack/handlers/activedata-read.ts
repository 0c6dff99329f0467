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
 * `/activedata logs [lines] [--grep text] [--errors]`: a short message in the channel, the lines
 * as a snippet in its thread. Where the bot cannot post (no thread) or Slack refuses the upload,
 * the newest lines that fit a message are shown instead.
 */
export async function showServiceLogs(cmd: Cmd<'activedata.logs'>, ctx: CommandContext): Promise<void> {
  const { excerpt, host } = await readServiceLogs(cmd, ctx.deps);
  const parent = await ctx.reply.toChannel(logsHeaderView(excerpt, host));
  if (excerpt.lines === 0) return;
  const name = excerpt.file.split('/').pop() ?? 'log';
  const shared =
    parent.ts !== undefined &&
    (await ctx.reply.snippetInThread(
      { channel: parent.channel, ts: parent.ts },
      {
        filename: `${name.replace(/\.log$/, '')}-last-${excerpt.lines}.log`,
        title: `${excerpt.file} on ${host}`,
        content: `${excerpt.text}\n`,
      },
    ));
  if (!shared) await ctx.reply.toChannel(logsInlineView(excerpt, host));
}

/** `/activedata config`: supervisord.conf with secrets masked; in code sections, or a snippet when longer. */
export async function showServiceConfig(cmd: Cmd<'activedata.config'>, ctx: CommandContext): Promise<void> {
  const { file, host } = await readServiceConfigFile(cmd, ctx.deps);
  const { message, fits } = configView(file, host);
  const parent = await ctx.reply.toChannel(message);
  if (fits) return;
  const shared =
    parent.ts !== undefined &&
    (await ctx.reply.snippetInThread(
      { channel: parent.channel, ts: parent.ts },
      {
        filename: 'supervisord.conf',
        title: `${file.file} on ${host} (secrets masked)`,
        content: `${file.text}\n`,
      },
    ));
  if (!shared) await ctx.reply.toChannel(configView(file, host, 8).message);
}
