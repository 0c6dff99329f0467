import type { CommitInfo } from './git-checkout.js';
import type { ActiveDataService } from './service.js';
import type { ProgramStatus } from './supervisor.js';

/** How many commits a plan lists; the count says how many there are in all. */
const LISTED = 10;

export interface DeployPlan {
  where: string;
  checkout: string;
  remote: string;
  branch: string;
  program: string;
  healthUrl: string;
  from: CommitInfo;
  /** Undefined when the fetch failed (see refusals). */
  to?: CommitInfo;
  /** Newest first, at most LISTED. */
  commits: CommitInfo[];
  commitCount: number;
  programs: ProgramStatus[];
  /** Why the deploy must not be requested; each says what to do. Empty = go. */
  refusals: string[];
}

function dirtyRefusal(dir: string, files: string[]): string {
  const shown = files.slice(0, 5).join(', ') + (files.length > 5 ? ` and ${files.length - 5} more` : '');
  return (
    `the checkout ${dir} has local changes (${shown}): a pull could overwrite them or fail ` +
    `half way. Commit, stash (git -C ${dir} stash) or discard them on the host, then ask again.`
  );
}

/**
 * What `/activedata deploy [branch]` would do, read before anything changes: the current commit,
 * the commits the pull brings (git fetch + git log), supervisor's view, and every reason to refuse
 * (local changes, a branch that is not a fast-forward, nothing new).
 */
export async function planDeploy(svc: ActiveDataService, branch: string): Promise<DeployPlan> {
  const { checkout, remote, program, healthUrl } = svc.cfg;
  const [head, dirty, fetched, programs] = await Promise.all([
    svc.checkout.commit('HEAD'),
    svc.checkout.dirtyFiles(),
    svc.checkout.fetch(remote, branch),
    svc.supervisor.status(),
  ]);
  const plan: DeployPlan = {
    where: svc.where,
    checkout,
    remote,
    branch,
    program,
    healthUrl,
    from: head,
    commits: [],
    commitCount: 0,
    programs,
    refusals: [],
  };
  if (dirty.length) plan.refusals.push(dirtyRefusal(checkout, dirty));
  if (!fetched.ok) {
    plan.refusals.push(
      `git fetch ${remote} ${branch} failed on the frontend: ${fetched.output.split('\n').slice(-2).join(' ')}`,
    );
    return plan;
  }
  plan.to = await svc.checkout.commit(fetched.sha);
  if (fetched.sha === head.sha) {
    plan.refusals.push(
      `the checkout is already at ${remote}/${branch} (${head.short}): nothing ` +
        'to deploy. /activedata restart restarts the service without pulling.',
    );
    return plan;
  }
  if (!(await svc.checkout.isAncestor(head.sha, fetched.sha))) {
    const local = await svc.checkout.between(fetched.sha, head.sha, 3);
    plan.refusals.push(
      `${remote}/${branch} (${plan.to.short}) is not a fast-forward of the ` +
        `checkout (${head.short}): the checkout has ${local.count} commit(s) ` +
        `that ${remote}/${branch} lacks (${local.commits.map((c) => c.short).join(', ')}). ` +
        'Resolve that on the host; a deploy never creates a merge.',
    );
    return plan;
  }
  const { commits, count } = await svc.checkout.between(head.sha, fetched.sha, LISTED);
  return { ...plan, commits, commitCount: count };
}

export interface RollbackPlan {
  where: string;
  checkout: string;
  program: string;
  healthUrl: string;
  from: CommitInfo;
  to?: CommitInfo;
  /** The commits the rollback takes away, newest first. */
  commits: CommitInfo[];
  commitCount: number;
  programs: ProgramStatus[];
  refusals: string[];
}

/** What `/activedata rollback COMMIT` would do: the checkout goes back to an earlier commit of its own history. */
export async function planRollback(svc: ActiveDataService, rev: string): Promise<RollbackPlan> {
  const { checkout, program, healthUrl } = svc.cfg;
  const [head, dirty, sha, programs] = await Promise.all([
    svc.checkout.commit('HEAD'),
    svc.checkout.dirtyFiles(),
    svc.checkout.resolve(rev),
    svc.supervisor.status(),
  ]);
  const plan: RollbackPlan = {
    where: svc.where,
    checkout,
    program,
    healthUrl,
    from: head,
    commits: [],
    commitCount: 0,
    programs,
    refusals: [],
  };
  if (dirty.length) plan.refusals.push(dirtyRefusal(checkout, dirty));
  if (!sha) {
    plan.refusals.push(
      `no commit "${rev}" in ${checkout} on the frontend: give a commit ` +
        "of its history (the deploy's thread names the previous one).",
    );
    return plan;
  }
  plan.to = await svc.checkout.commit(sha);
  if (sha === head.sha)
    plan.refusals.push(
      `the checkout is already at ${plan.to.short}: nothing to roll back. /activedata restart restarts the service.`,
    );
  else if (!(await svc.checkout.isAncestor(sha, head.sha)))
    plan.refusals.push(
      `${plan.to.short} is not an earlier commit of the checkout (now ${head.short}): ` +
        'a rollback only goes back. Use /activedata deploy to move forward.',
    );
  else {
    const { commits, count } = await svc.checkout.between(sha, head.sha, LISTED);
    Object.assign(plan, { commits, commitCount: count });
  }
  return plan;
}
