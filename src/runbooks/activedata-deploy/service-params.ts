import { runbookRef } from '../../engine/index.js';
import type { CommitInfo, ProgramStatus } from '../../targets/activedata/index.js';

/** Where a service run acts, as the plan card shows it. */
export interface ServiceTarget {
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

/** `/activedata deploy [BRANCH]`: the runbook's "ActiveData Service" deployment on the frontend. */
export const activeDataDeploy = runbookRef<DeployParams>('activedata.deploy');
/** `/activedata rollback COMMIT`: back to an earlier commit of the checkout, restarted and checked. */
export const activeDataRollback = runbookRef<RollbackParams>('activedata.rollback');
/** `/activedata restart`: "Use supervisor to restart service" alone, then the same check. */
export const activeDataRestart = runbookRef<RestartParams>('activedata.restart');
