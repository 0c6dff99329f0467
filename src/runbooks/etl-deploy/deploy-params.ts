import { runbookRef } from '../../engine/index.js';
import type { CommitInfo } from '../../targets/etl/index.js';
import type { DisabledLine } from '../../targets/spotmanager/index.js';

/** An ETL instance or open spot request as the plan saw it (the ids step 2 terminates, if still there). */
export interface FleetMember {
  id: string;
  type: string;
  zone?: string;
  phase: string;
  pricePerHour?: number;
}

/** A queue or bucket named in the ETL settings at the commit, and whether it existed at the plan. */
export interface NamedResource {
  name: string;
  exists: boolean;
}

/** A new ES table (alias) and how it looked at the plan. */
export interface TableAtPlan {
  alias: string;
  exists: boolean;
  unaliased: string[];
}

/** What `/etl deploy COMMIT` planned: fixed when the run is created, shown on its card. */
export interface EtlDeployParams {
  /** The commit that goes to the etl branch. */
  commit: CommitInfo;
  /** Where the etl branch was at the remote when planned; absent when it did not exist yet. */
  from?: CommitInfo;
  /** Commits the push brings, newest first (at most ten); `commitCount` says how many in all. */
  commits: CommitInfo[];
  commitCount: number;
  repo: { where: string; remote: string; branch: string; settingsFiles: string[] };
  resources: { queues: NamedResource[]; buckets: NamedResource[]; tables: TableAtPlan[] };
  fleet: { members: FleetMember[]; hourlyCost: number; exposure: number };
  spotManager: { where: string; enabled: boolean; cronWhere: string; budget: number; lastRunAt?: number };
  /** The ES cluster the new tables are checked in. */
  cluster: string;
  workQueue: string;
}

/** The title of the deploy's one revert step (the card's Revert runs it, approved once). */
export const REVERT_DEPLOY = 'Revert the deploy and start SpotManager';

export const shortSha = (sha: string): string => sha.slice(0, 7);

/** `abc1234 → def5678` (or `(new branch) → def5678`). */
export function branchMove(p: EtlDeployParams): string {
  return `${p.from ? p.from.short : '(new branch)'} → ${p.commit.short}`;
}

/** What `/spot start` planned: the manager host, and exactly which of its cron lines it gives back. */
export interface SpotStartParams {
  where: string;
  /** Where the lines are (a cron file or a crontab, on the host). */
  cronWhere: string;
  /** The ETL lines that carry the bot's mark, as found at the plan: only these are restored. */
  lines: DisabledLine[];
  /** Other disabled ETL lines (commented out by hand): left alone, shown on the card. */
  others: DisabledLine[];
}

/** `/etl deploy COMMIT`: the runbook's ETL "Production Deployment Steps", 1 to 8. */
export const etlDeploy = runbookRef<EtlDeployParams>('etl.deploy');
/** `/spot start`: "Start SpotManager" alone, approved. */
export const spotStart = runbookRef<SpotStartParams>('spot.start');
