import type { ActiveDataCommand } from '../../commands/activedata-commands.js';
import { configView, logsHeaderView, logsInlineView, serviceStatusView } from '../views/activedata-read-views.js';
import { withService } from './activedata-service.js';
import type { CommandContext } from './context.js';

type Cmd<N extends ActiveDataCommand['name']> = Extract<ActiveDataCommand, { name: N }>;

/** `/activedata status`: read-only, answered in the channel. */
export async function showServiceStatus(_cmd: Cmd<'activedata.status'>, ctx: CommandContext): Promise<void> {
  await withService(ctx, async (svc) => {
    await ctx.reply.toChannel(serviceStatusView(await svc.status(), svc.cfg));
  });
}

/**
 * `/activedata logs [lines] [--grep text] [--errors]`: a short message in the channel, the lines
 * as a snippet in its thread. Where the bot cannot post (no thread) or Slack refuses the upload,
 * the newest lines that fit a message are shown instead.
 */
export async function showServiceLogs(cmd: Cmd<'activedata.logs'>, ctx: CommandContext): Promise<void> {
  await withService(ctx, async (svc) => {
    const excerpt = await svc.logs(cmd.lines, {
      ...(cmd.grep !== undefined ? { grep: cmd.grep } : {}),
      errors: cmd.errors,
    });
    const host = svc.cfg.host;
    if (excerpt.lines === 0) {
      await ctx.reply.toChannel(logsHeaderView(excerpt, host));
      return;
    }
    const parent = await ctx.reply.toChannel(logsHeaderView(excerpt, host));
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
  });
}

/** `/activedata config`: supervisord.conf with secrets masked; in code sections, or a snippet when longer. */
export async function showServiceConfig(_cmd: Cmd<'activedata.config'>, ctx: CommandContext): Promise<void> {
  await withService(ctx, async (svc) => {
    const file = await svc.config();
    const { message, fits } = configView(file, svc.cfg.host);
    const parent = await ctx.reply.toChannel(message);
    if (fits) return;
    const shared =
      parent.ts !== undefined &&
      (await ctx.reply.snippetInThread(
        { channel: parent.channel, ts: parent.ts },
        {
          filename: 'supervisord.conf',
          title: `${file.file} on ${svc.cfg.host} (secrets masked)`,
          content: `${file.text}\n`,
        },
      ));
    if (!shared) await ctx.reply.toChannel(configView(file, svc.cfg.host, 8).message);
  });
}
