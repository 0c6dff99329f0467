import type { Command } from '../../commands/types.js';
import { drainParams } from '../../runbooks/index.js';
import { excludeKey, planDrain, splitList } from '../../targets/elasticsearch/index.js';
import { drainDryRunView, drainRefusedView } from '../views/drain-plan-view.js';
import { problemView } from '../views/error-view.js';
import type { CommandContext } from './context.js';
import { ensureCardPosted } from './run-request.js';

type Cmd<N extends Command['name']> = Extract<Command, { name: N }>;

/**
 * `/es drain NODE`: checks the cluster, then either refuses (with the reason), shows the plan
 * (--dry-run) or creates the run, whose card asks a second person to approve.
 */
export async function requestDrain(cmd: Cmd<'es.drain'>, ctx: CommandContext): Promise<void> {
  const cluster = ctx.clusters.get(cmd.cluster);
  const attr = ctx.estate.clusters[cluster.name]!.excludeBy;
  const plan = await planDrain(cluster, cmd.node, attr, { cleanStale: cmd.cleanStale });
  if (plan.refusals.length) {
    await ctx.reply.toRequester(drainRefusedView(plan));
    return;
  }
  const params = drainParams(plan);
  if (cmd.dryRun) {
    await ctx.reply.toChannel(drainDryRunView(params));
    return;
  }
  const { run, created } = await ctx.engine.createRun({
    runbook: 'es.drain', params, requester: ctx.user, team: ctx.team, channel: ctx.channel, cluster: cluster.name,
    idempotencyKey: ctx.triggerId,
  });
  // A retried delivery of the same command finds the run; its card is the first delivery's business.
  if (created) await ensureCardPosted(run.id, ctx);
}

/** `/es undrain NODE`: removes only that node's entry; approval required as for the drain. */
export async function requestUndrain(cmd: Cmd<'es.undrain'>, ctx: CommandContext): Promise<void> {
  const cluster = ctx.clusters.get(cmd.cluster);
  const attr = ctx.estate.clusters[cluster.name]!.excludeBy;
  const plan = await planDrain(cluster, cmd.node, attr);
  const key = excludeKey(attr);
  const list = splitList((await cluster.settings()).persistent[key]);
  if (!list.includes(plan.value)) {
    await ctx.reply.toRequester(problemView(`${cmd.node} (${plan.value}) is not in ${key} (now: ${list.join(',') || 'empty'}): nothing to undrain.`));
    return;
  }
  const { run, created } = await ctx.engine.createRun({
    runbook: 'es.undrain', params: { ...drainParams(plan), listBefore: list, listAfter: list.filter((v) => v !== plan.value) },
    requester: ctx.user, team: ctx.team, channel: ctx.channel, cluster: cluster.name, idempotencyKey: ctx.triggerId,
  });
  // A retried delivery of the same command finds the run; its card is the first delivery's business.
  if (created) await ensureCardPosted(run.id, ctx);
}
