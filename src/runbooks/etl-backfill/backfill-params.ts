/** What `/etl backfill` planned: fixed when the run is created, shown on its card. */
export interface BackfillParams {
  [key: string]: unknown;
  source: string;
  destination: string;
  queue: string;
  /** Keys of the source the destination lacked at the plan (at most maxKeys go in one run). */
  missing: number;
  /** More were missing than one run queues. */
  truncated: boolean;
  /** The first few, for the card. */
  sample: string[];
  /** Messages the work queue held at the plan (visible + in flight). */
  depthAtPlan: number;
  maxQueued: number;
}
