import type { Run } from '../../../engine/types.js';
import type { Block } from '../blocks.js';

/** Runbook-specific blocks of a run's card (the plan); runbooks without one show steps only. */
export type CardDetails = (run: Run) => Block[];

/** One line per runbook that has a plan to show. */
const DETAILS: Record<string, CardDetails> = {};

export function cardDetailsFor(run: Run): Block[] {
  return DETAILS[run.runbook]?.(run) ?? [];
}
