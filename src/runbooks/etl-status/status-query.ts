import type { Logger } from '../../log.js';
import type { EtlFleet } from '../../targets/ec2/index.js';
import type { EtlTargets } from '../../targets/etl/index.js';
import type { CronState, RunSummary } from '../../targets/spotmanager/index.js';
import type { QueueDepth } from '../../targets/sqs/index.js';
import { SshError } from '../../targets/ssh/index.js';
import { describeEtlProblem, isEtlProblem } from '../etl-deploy/operator-errors.js';
import type { QueueLook, QueueLooks } from './queue-looks.js';

/** What /etl status reads through: the ETL's targets and the last look at each queue (the trend). */
export interface EtlStatusDeps {
  etl: EtlTargets;
  queueLooks: QueueLooks;
}

/** A part of the status that may fail on its own: the rest of the card still shows. */
export type Part<T> = { ok: true; value: T } | { ok: false; error: string };

export interface SpotManagerPart {
  where: string;
  cron: Part<CronState>;
  budget: Part<number>;
  lastRun: Part<RunSummary | undefined>;
}

export interface EtlStatus {
  at: number;
  instanceName: string;
  spotManager: Part<SpotManagerPart>;
  fleet: Part<EtlFleet>;
  queues: Part<{ depth: QueueDepth; previous?: QueueLook }[]>;
}

/** An unexpected failure is logged as a bug; an operator's problem is only said on the card. */
async function part<T>(what: string, fn: () => Promise<T>, log: Logger | undefined): Promise<Part<T>> {
  try {
    return { ok: true, value: await fn() };
  } catch (err) {
    if (!isEtlProblem(err)) log?.error({ err, what }, 'etl status part failed');
    return { ok: false, error: describeEtlProblem(err, what) };
  }
}

/**
 * Everything /etl status shows, read at once: SpotManager (cron, budget, last run from its log),
 * the fleet on EC2, the queues (and their depth at the last look). An unreachable host or refused
 * credentials spoil only their part. Read-only, but for the looks it records.
 */
export async function readEtlStatus(req: { now?: number; log?: Logger }, deps: EtlStatusDeps): Promise<EtlStatus> {
  const t = deps.etl;
  const { log } = req;
  const now = req.now ?? Date.now();
  const spotManager = part(
    'SpotManager',
    async (): Promise<SpotManagerPart> => {
      const sm = t.spotManager();
      // The cron read also proves the host answers; the other two then fail only for their own reasons.
      let cron: Part<CronState>;
      try {
        cron = { ok: true, value: await sm.cronState() };
      } catch (err) {
        if (err instanceof SshError) throw err;
        cron = { ok: false, error: describeEtlProblem(err, 'cron') };
      }
      const [budget, lastRun] = await Promise.all([
        part('settings', async () => (await sm.readSettings()).budget, log),
        part('log', () => sm.lastRun(), log),
      ]);
      return { where: sm.where, cron, budget, lastRun };
    },
    log,
  );
  const fleet = part('EC2', () => t.fleet.listEtlInstances(), log);
  const queues = part(
    'SQS',
    async () => {
      const depths = await t.queues.queueDepths(t.config.etl.queues);
      const before = await deps.queueLooks.swap(depths, now);
      return depths.map((depth) => ({
        depth,
        ...(before.has(depth.name) ? { previous: before.get(depth.name)! } : {}),
      }));
    },
    log,
  );
  const [s, f, q] = await Promise.all([spotManager, fleet, queues]);
  return { at: now, instanceName: t.config.etl.instanceName, spotManager: s, fleet: f, queues: q };
}
