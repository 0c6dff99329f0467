import type { ActiveDataCommand } from '../../commands/activedata-commands.js';
import {
  deployParams,
  describePrograms,
  rollbackParams,
  type RestartParams,
} from '../../runbooks/activedata-deploy/index.js';
import { planDeploy, planRollback } from '../../targets/activedata/index.js';
import { serviceRefusedView } from '../views/activedata-plan-view.js';
import { inFlightText, serviceRunInFlight, withService } from './activedata-service.js';
import type { CommandContext } from './context.js';
import { startRunByName } from './run-request.js';

type Cmd<N extends ActiveDataCommand['name']> = Extract<ActiveDataCommand, { name: N }>;

async function start(ctx: CommandContext, runbook: string, params: Record<string, unknown>): Promise<void> {
  await startRunByName(ctx, runbook, params);
}

/** Refuses when another service run is in flight; true when it did. */
async function refusedAsBusy(ctx: CommandContext, what: string): Promise<boolean> {
  const busy = await serviceRunInFlight(ctx);
  if (busy) await ctx.reply.toRequester(serviceRefusedView(what, [inFlightText(busy)]));
  return busy !== undefined;
}

/**
 * `/activedata deploy [branch]`: reads the checkout (current commit, local changes), fetches the
 * branch and lists what the pull brings, then either refuses with the reason or creates the run,
 * whose card asks a second person to approve.
 */
export async function requestDeploy(cmd: Cmd<'activedata.deploy'>, ctx: CommandContext): Promise<void> {
  await withService(ctx, async (svc) => {
    const branch = cmd.branch ?? svc.cfg.branch;
    if (await refusedAsBusy(ctx, `deploy ${branch}`)) return;
    const plan = await planDeploy(svc, branch);
    if (plan.refusals.length)
      return ctx.reply.toRequester(serviceRefusedView(`deploy ${svc.cfg.remote}/${branch}`, plan.refusals));
    await start(ctx, 'activedata.deploy', deployParams(plan));
  });
}

/** `/activedata rollback COMMIT`: back to an earlier commit of the checkout (approved). */
export async function requestRollback(cmd: Cmd<'activedata.rollback'>, ctx: CommandContext): Promise<void> {
  await withService(ctx, async (svc) => {
    if (await refusedAsBusy(ctx, `roll back to ${cmd.commit}`)) return;
    const plan = await planRollback(svc, cmd.commit);
    if (plan.refusals.length)
      return ctx.reply.toRequester(serviceRefusedView(`roll back to ${cmd.commit}`, plan.refusals));
    await start(ctx, 'activedata.rollback', rollbackParams(plan));
  });
}

/** `/activedata restart`: supervisor restarts the program on the commit it has (approved). */
export async function requestRestart(_cmd: Cmd<'activedata.restart'>, ctx: CommandContext): Promise<void> {
  await withService(ctx, async (svc) => {
    if (await refusedAsBusy(ctx, 'restart the service')) return;
    const [commit, programs] = await Promise.all([svc.checkout.commit('HEAD'), svc.supervisor.status()]);
    const params: RestartParams = {
      where: svc.where,
      checkout: svc.cfg.checkout,
      program: svc.cfg.program,
      healthUrl: svc.cfg.healthUrl,
      programsAtPlan: describePrograms(programs),
      commit,
    };
    await start(ctx, 'activedata.restart', params);
  });
}
