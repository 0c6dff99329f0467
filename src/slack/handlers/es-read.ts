import type { Command } from '../../commands/types.js';
import {
  readAllocationSettings,
  readClusterStatus,
  readIndicesHealth,
  readNodeShards,
  readRecoveryReport,
  readShardExplain,
} from '../../runbooks/index.js';
import { explainView } from '../views/explain-view.js';
import { healthView, indicesHealthView, UNHEALTHY_SHOWN, unhealthyLines } from '../views/health-view.js';
import { recoveryView } from '../views/recovery-view.js';
import { settingsView } from '../views/settings-view.js';
import { INDICES_SHOWN, shardLines, shardsView } from '../views/shards-view.js';
import { statusView } from '../views/status-view.js';
import type { SlackMessage } from '../views/blocks.js';
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

/** Where a long table goes: the cut one on the card, the whole one shared in the card's thread. */
type Cut = 'thread' | 'unavailable';

/**
 * A table longer than a phone screen: the card shows the cut one and says the whole list is in
 * its thread, shared as a snippet; when the snippet cannot be shared, the requester is told so.
 */
async function cutWithSnippet(
  ctx: CommandContext,
  view: (cut: Cut) => SlackMessage,
  snippet: { filename: string; title: string; lines: string[] },
): Promise<void> {
  const posted = await ctx.reply.toChannel(view('thread'));
  const { lines, ...file } = snippet;
  const shared =
    posted.ts !== undefined &&
    (await ctx.reply.snippetInThread(
      { channel: posted.channel, ts: posted.ts },
      { ...file, content: `${lines.join('\n')}\n` },
    ));
  if (!shared) await ctx.reply.toRequester(view('unavailable'));
}

/** /es shards NODE: the node's copies by index, in the channel; a long table shared in the thread. */
export async function showShards(cmd: Cmd<'es.shards'>, ctx: CommandContext): Promise<void> {
  const report = await readNodeShards(cmd, ctx.deps);
  if (report.indices.length <= INDICES_SHOWN) {
    await ctx.reply.toChannel(shardsView(report));
    return;
  }
  await cutWithSnippet(ctx, (cut) => shardsView(report, cut), {
    filename: `${report.node}-shards.txt`,
    title: `Shards on ${report.node} (${report.cluster}), by index`,
    lines: shardLines(report.indices),
  });
}

/** /es explain INDEX SHARD [--primary]: the allocation explanation of one copy, in the channel. */
export async function showExplain(cmd: Cmd<'es.explain'>, ctx: CommandContext): Promise<void> {
  const { cluster, explanation } = await readShardExplain(cmd, ctx.deps);
  await ctx.reply.toChannel(explainView(cluster, explanation));
}

/**
 * /es health [--indices]: the status and its shard counts; with --indices the red and yellow
 * indices and why, worst first. A list longer than a phone screen is shared whole in the thread.
 */
export async function showHealth(cmd: Cmd<'es.health'>, ctx: CommandContext): Promise<void> {
  if (!cmd.indices) {
    const cluster = ctx.deps.clusters.get(cmd.cluster);
    await ctx.reply.toChannel(healthView(cluster.name, await cluster.health()));
    return;
  }
  const report = await readIndicesHealth(cmd, ctx.deps);
  if (report.indices.length <= UNHEALTHY_SHOWN) {
    await ctx.reply.toChannel(indicesHealthView(report));
    return;
  }
  await cutWithSnippet(ctx, (cut) => indicesHealthView(report, cut), {
    filename: `${report.cluster}-unhealthy-indices.txt`,
    title: `Red and yellow indices of ${report.cluster}, worst first`,
    lines: unhealthyLines(report.indices),
  });
}
