import type { CommitInfo, DeployPlan, ProgramStatus, RollbackPlan } from '../../targets/activedata/index.js';

/** Where a service run acts, as the plan card shows it. */
export interface ServiceTarget {
  [key: string]: unknown;
  where: string;
  checkout: string;
  program: string;
  healthUrl: string;
  /** supervisor's words when the run was requested, e.g. `gunicorn RUNNING pid 12, uptime 3 days, 0:01:02`. */
  programsAtPlan: string[];
}

/** `/activedata deploy [branch]`: the checkout moves from `from` to `to`, the commits the approver saw. */
export interface DeployParams extends ServiceTarget {
  remote: string;
  branch: string;
  from: CommitInfo;
  to: CommitInfo;
  /** Newest first, at most ten; `commitCount` says how many in all. */
  commits: CommitInfo[];
  commitCount: number;
}

/** `/activedata rollback COMMIT`: the checkout goes back from `from` to `to`; `commits` are taken away. */
export interface RollbackParams extends ServiceTarget {
  from: CommitInfo;
  to: CommitInfo;
  commits: CommitInfo[];
  commitCount: number;
}

/** `/activedata restart`: the service restarts on the commit it has. */
export interface RestartParams extends ServiceTarget {
  commit: CommitInfo;
}

export const describePrograms = (programs: ProgramStatus[]): string[] =>
  programs.map((p) => `${p.name} ${p.state}${p.description ? ` ${p.description}` : ''}`);

/** A plan without refusals (and so with a target commit) as run params. */
export function deployParams(plan: DeployPlan): DeployParams {
  if (!plan.to) throw new Error('deployParams: the plan has no target commit');
  return {
    where: plan.where,
    checkout: plan.checkout,
    program: plan.program,
    healthUrl: plan.healthUrl,
    programsAtPlan: describePrograms(plan.programs),
    remote: plan.remote,
    branch: plan.branch,
    from: plan.from,
    to: plan.to,
    commits: plan.commits,
    commitCount: plan.commitCount,
  };
}

export function rollbackParams(plan: RollbackPlan): RollbackParams {
  if (!plan.to) throw new Error('rollbackParams: the plan has no target commit');
  return {
    where: plan.where,
    checkout: plan.checkout,
    program: plan.program,
    healthUrl: plan.healthUrl,
    programsAtPlan: describePrograms(plan.programs),
    from: plan.from,
    to: plan.to,
    commits: plan.commits,
    commitCount: plan.commitCount,
  };
}
