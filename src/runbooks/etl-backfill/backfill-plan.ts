import { OperatorError } from '../../problem.js';
import { sampleMissing } from '../../targets/etl/index.js';
import { describeEtlProblem, isEtlProblem } from '../etl-deploy/operator-errors.js';
import { nothingToDo, planned, refuse, type PlanResult } from '../plan.js';
import { etlBackfill, type BackfillParams } from './backfill-params.js';
import type { EtlBackfillDeps } from './backfill-runbook.js';

const NOTHING = 'Nothing was queued.';
/** The plan lists for at most this long: the buckets may hold millions of keys; the run counts them all. */
const PLAN_BUDGET_MS = 3_000;

/**
 * `/etl backfill`: refused while the work queue holds more than `maxQueued` messages, as the real
 * backfill is; otherwise the keys the destination lacks are counted (none: nothing to do) and the
 * run is planned, for a second person to approve. An estate that cannot be read is refused in
 * its own words.
 */
export async function planEtlBackfill(_req: object, deps: EtlBackfillDeps): Promise<PlanResult<BackfillParams>> {
  try {
    return await readBackfillPlan(deps);
  } catch (err) {
    if (!isEtlProblem(err)) throw err;
    const next = err instanceof OperatorError ? ` ${err.next}` : '';
    return refuse(`Cannot plan the backfill: ${describeEtlProblem(err, 'the backfill')}`, `${NOTHING}${next}`);
  }
}

async function readBackfillPlan(deps: EtlBackfillDeps): Promise<PlanResult<BackfillParams>> {
  const t = deps.etl;
  const cfg = t.estate.etl.backfill;
  const queue = t.estate.etl.workQueue;
  const depth = await t.queues.queueDepth(queue);
  if (!depth.exists) return refuse(`The work queue ${queue} does not exist.`, NOTHING);
  const held = depth.visible + depth.inFlight;
  if (held > cfg.maxQueued) {
    return refuse(
      `The work queue ${queue} already holds ${held} messages, more than ${cfg.maxQueued}: ` +
        'the backfill refuses, as the real one does.',
      `${NOTHING} Ask again once it has drained (/etl status shows it).`,
    );
  }
  const found = await sampleMissing(t.buckets, cfg.source, cfg.destination, {
    budgetMs: PLAN_BUDGET_MS,
    pageSize: cfg.listPageSize,
    settings: { source: 'etl.backfill.source', destination: 'etl.backfill.destination' },
  });
  if (found.finished && !found.missing) {
    return nothingToDo(
      `Nothing to backfill: every one of the ${found.listed} key(s) of *${cfg.source}* ` +
        `is in *${cfg.destination}*.`,
      NOTHING,
    );
  }
  return planned(etlBackfill, {
    source: cfg.source,
    destination: cfg.destination,
    queue,
    missing: found.missing,
    truncated: !found.finished,
    listedAtPlan: found.listed,
    sample: found.sample,
    depthAtPlan: held,
    maxQueued: cfg.maxQueued,
  });
}
