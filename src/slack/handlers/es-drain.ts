import type { Command } from '../../commands/types.js';
import { drainParams } from '../../runbooks/index.js';
import { excludeKey, planDrain, splitList } from '../../targets/elasticsearch/index.js';
import { drainDryRunView, drainRefusedView } from '../views/drain-plan-view.js';
import { problemView } from '../views/error-view.js';
import type { CommandContext } from './context.js';
import { startRun } from './run-request.js';

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
  await startRun(ctx, 'es.drain', params, cluster.name);
}

/** `/es undrain NODE`: removes only that node's entry; approval required as for the drain. */
export async function requestUndrain(cmd: Cmd<'es.undrain'>, ctx: CommandContext): Promise<void> {
  const cluster = ctx.clusters.get(cmd.cluster);
  const attr = ctx.estate.clusters[cluster.name]!.excludeBy;
  const plan = await planDrain(cluster, cmd.node, attr);
  const key = excludeKey(attr);
  const list = splitList((await cluster.settings()).persistent[key]);
  if (!list.includes(plan.value)) {
    await ctx.reply.toRequester(
      problemView(
        `${cmd.node} (${plan.value}) is not in ${key} (now: ${list.join(',') || 'empty'}): nothing to undrain.`,
      ),
    );
    return;
  }
  await startRun(
    ctx,
    'es.undrain',
    { ...drainParams(plan), listBefore: list, listAfter: list.filter((v) => v !== plan.value) },
    cluster.name,
  );
}
