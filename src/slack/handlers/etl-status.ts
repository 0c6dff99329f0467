import type { Command } from '../../commands/types.js';
import type { EtlFleet } from '../../targets/ec2/index.js';
import type { CronState, RunSummary } from '../../targets/spotmanager/index.js';
import type { QueueDepth } from '../../targets/sqs/index.js';
import { SshError } from '../../targets/ssh/index.js';
import { problemView } from '../views/error-view.js';
import { etlStatusView } from '../views/etl-status-view.js';
import type { CommandContext } from './context.js';
import type { EtlContext, QueueLook } from './etl-context.js';
import { describeEtlProblem, isEtlProblem } from './etl-errors.js';

type Cmd<N extends Command['name']> = Extract<Command, { name: N }>;

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

async function part<T>(what: string, fn: () => Promise<T>, log: CommandContext['log']): Promise<Part<T>> {
  try {
    return { ok: true, value: await fn() };
  } catch (err) {
    if (!isEtlProblem(err)) log.error({ err, what }, 'etl status part failed');
    return { ok: false, error: describeEtlProblem(err, what) };
  }
}

/**
 * Everything /etl status shows, read at once: SpotManager (cron, budget, last run from its log),
 * the fleet on EC2, the queues. An unreachable host or refused credentials spoil only their part.
 */
export async function readEtlStatus(etl: EtlContext, log: CommandContext['log'], now = Date.now()): Promise<EtlStatus> {
  const t = etl.targets;
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
      const before = await etl.looks.swap(depths, now);
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

/** /etl status: one card in the channel. */
export async function showEtlStatus(_cmd: Cmd<'etl.status'>, ctx: CommandContext): Promise<void> {
  if (!ctx.etl) {
    await ctx.reply.toRequester(problemView('The ETL is not wired into this bot.', 'Ask whoever runs the bot.'));
    return;
  }
  await ctx.reply.toChannel(etlStatusView(await readEtlStatus(ctx.etl, ctx.log)));
}
