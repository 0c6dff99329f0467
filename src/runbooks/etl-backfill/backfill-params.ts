import { runbookRef } from '../../engine/index.js';

/** What `/etl backfill` planned: fixed when the run is created, shown on its card. */
export interface BackfillParams {
  source: string;
  destination: string;
  queue: string;
  /**
   * Keys of the source the destination lacked at the plan: all of them, or (truncated) those
   * among the first `listedAtPlan`.
   */
  missing: number;
  /** The plan listed only the start of the source (it lists for a few seconds; the run counts them all). */
  truncated: boolean;
  /** Source keys the plan compared. */
  listedAtPlan?: number;
  /** The first few missing keys, for the card. */
  sample: string[];
  /** Messages the work queue held at the plan (visible + in flight). */
  depthAtPlan: number;
  maxQueued: number;
}

/** `/etl backfill` (and the deploy card's "Run the backfill"): the runbook's step 9 as a run of its own. */
export const etlBackfill = runbookRef<BackfillParams>('etl.backfill');
