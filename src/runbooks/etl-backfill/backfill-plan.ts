import { missingKeys } from '../../targets/etl/index.js';
import { describeEtlProblem, isEtlProblem } from '../etl-deploy/operator-errors.js';
import { nothingToDo, planned, refuse, type PlanResult } from '../plan.js';
import { etlBackfill, type BackfillParams } from './backfill-params.js';
import type { EtlBackfillDeps } from './backfill-runbook.js';

const NOTHING = 'Nothing was queued.';

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
    return refuse(`Cannot plan the backfill: ${describeEtlProblem(err, 'the backfill')}`, NOTHING);
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
  const missing = await missingKeys(t.buckets, cfg.source, cfg.destination, cfg.maxKeys);
  if (!missing.keys.length) {
    return nothingToDo(
      `Nothing to backfill: every one of the ${missing.sourceCount} key(s) of *${cfg.source}* ` +
        `is in *${cfg.destination}*.`,
      NOTHING,
    );
  }
  return planned(etlBackfill, {
    source: cfg.source,
    destination: cfg.destination,
    queue,
    missing: missing.keys.length,
    truncated: missing.truncated,
    sample: missing.keys.slice(0, 5),
    depthAtPlan: held,
    maxQueued: cfg.maxQueued,
  });
}
