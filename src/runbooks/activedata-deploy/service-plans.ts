import type { ActiveDataService } from '../../targets/activedata/index.js';
import { planned, refuse, type PlanResult } from '../plan.js';
import { planOnFrontend, type FrontendDeps } from './frontend-access.js';
import {
  activeDataDeploy,
  activeDataRestart,
  activeDataRollback,
  describePrograms,
  type DeployParams,
  type RestartParams,
  type RollbackParams,
  type ServiceTarget,
} from './service-params.js';

/** What the ActiveData plans read: the frontend (one change to it at a time: the runbooks' lock). */
export type ServicePlanDeps = FrontendDeps;

/** How many commits a plan lists; the count says how many there are in all. */
const LISTED = 10;

// Each reason says what to do about it; this is what follows them all.
const LOOK = 'Nothing was changed; /activedata status shows the frontend as it is now.';

function dirtyRefusal(dir: string, files: string[]): string {
  const shown = files.slice(0, 5).join(', ') + (files.length > 5 ? ` and ${files.length - 5} more` : '');
  return (
    `the checkout ${dir} has local changes (${shown}): a pull could overwrite them or fail half way. ` +
    `Commit, stash (git -C ${dir} stash) or discard them on the host, then ask again.`
  );
}

async function serviceTarget(svc: ActiveDataService): Promise<ServiceTarget> {
  return {
    where: svc.where,
    checkout: svc.cfg.checkout,
    program: svc.cfg.program,
    healthUrl: svc.cfg.healthUrl,
    programsAtPlan: describePrograms(await svc.supervisor.status()),
  };
}

/**
 * `/activedata deploy [branch]`: the current commit, the commits `git pull` brings (git fetch +
 * git log), supervisor's view; refused on local changes, a branch that is not a fast-forward, or
 * nothing new, each reason saying what to do. The card then asks a second person to approve.
 */
export async function planActiveDataDeploy(
  req: { branch?: string | undefined },
  deps: ServicePlanDeps,
): Promise<PlanResult<DeployParams>> {
  return planOnFrontend(deps, async (svc) => {
    const { checkout, remote } = svc.cfg;
    const branch = req.branch ?? svc.cfg.branch;
    const [from, dirty, fetched, target] = await Promise.all([
      svc.checkout.commit('HEAD'),
      svc.checkout.dirtyFiles(),
      svc.checkout.fetch(remote, branch),
      serviceTarget(svc),
    ]);
    const reasons = dirty.length ? [dirtyRefusal(checkout, dirty)] : [];
    const refusal = (why?: string) =>
      refuse(`Cannot deploy ${remote}/${branch}`, LOOK, why ? [...reasons, why] : reasons);
    if (!fetched.ok)
      return refusal(
        `git fetch ${remote} ${branch} failed on the frontend: ${fetched.output.split('\n').slice(-2).join(' ')}`,
      );
    if (fetched.sha === from.sha)
      return refusal(
        `the checkout is already at ${remote}/${branch} (${from.short}): nothing to deploy. ` +
          '/activedata restart restarts the service without pulling.',
      );
    const to = await svc.checkout.commit(fetched.sha);
    if (!(await svc.checkout.isAncestor(from.sha, fetched.sha))) {
      const local = await svc.checkout.between(fetched.sha, from.sha, 3);
      return refusal(
        `${remote}/${branch} (${to.short}) is not a fast-forward of the checkout (${from.short}): ` +
          `the checkout has ${local.count} commit(s) that ${remote}/${branch} lacks ` +
          `(${local.commits.map((c) => c.short).join(', ')}). ` +
          'Resolve that on the host; a deploy never creates a merge.',
      );
    }
    if (reasons.length) return refusal();
    const { commits, count } = await svc.checkout.between(from.sha, fetched.sha, LISTED);
    return planned(activeDataDeploy, { ...target, remote, branch, from, to, commits, commitCount: count });
  });
}

/** `/activedata rollback COMMIT`: back to an earlier commit of the checkout's own history (approved). */
export async function planActiveDataRollback(
  req: { commit: string },
  deps: ServicePlanDeps,
): Promise<PlanResult<RollbackParams>> {
  return planOnFrontend(deps, async (svc) => {
    const rev = req.commit;
    const what = `roll back to ${rev}`;
    const { checkout } = svc.cfg;
    const [from, dirty, sha, target] = await Promise.all([
      svc.checkout.commit('HEAD'),
      svc.checkout.dirtyFiles(),
      svc.checkout.resolve(rev),
      serviceTarget(svc),
    ]);
    const reasons = dirty.length ? [dirtyRefusal(checkout, dirty)] : [];
    const refusal = (why?: string) => refuse(`Cannot ${what}`, LOOK, why ? [...reasons, why] : reasons);
    if (!sha)
      return refusal(
        `no commit "${rev}" in ${checkout} on the frontend: ` +
          "give a commit of its history (the deploy's thread names the previous one).",
      );
    const to = await svc.checkout.commit(sha);
    if (sha === from.sha)
      return refusal(
        `the checkout is already at ${to.short}: nothing to roll back. /activedata restart restarts the service.`,
      );
    if (!(await svc.checkout.isAncestor(sha, from.sha)))
      return refusal(
        `${to.short} is not an earlier commit of the checkout (now ${from.short}): a rollback only goes back. ` +
          'Use /activedata deploy to move forward.',
      );
    if (reasons.length) return refusal();
    const { commits, count } = await svc.checkout.between(sha, from.sha, LISTED);
    return planned(activeDataRollback, { ...target, from, to, commits, commitCount: count });
  });
}

/** `/activedata restart`: supervisor restarts the program on the commit it has (approved). */
export async function planActiveDataRestart(_req: object, deps: ServicePlanDeps): Promise<PlanResult<RestartParams>> {
  return planOnFrontend(deps, async (svc) => {
    const [commit, target] = await Promise.all([svc.checkout.commit('HEAD'), serviceTarget(svc)]);
    return planned(activeDataRestart, { ...target, commit });
  });
}
