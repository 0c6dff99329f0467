import { paramsOf, type Run, type RunbookRef } from '../../../engine/index.js';
import type { Block, SlackMessage } from '../blocks.js';

/** How a runbook's run is drawn: the plan blocks of its card, and its --dry-run answer. */
export interface CardSpec<P> {
  /** The plan, as the card shows it before and during the run. */
  details(params: P, run: Run): Block[];
  /** `--dry-run`: the plan without buttons; default: the summary and the details. */
  dryRun?(params: P): SlackMessage;
}

/** A card registered by its runbook's handle; the params are typed back in one checked place. */
export interface RegisteredCard {
  runbook: string;
  details(run: Run): Block[];
  dryRun?(params: unknown): SlackMessage;
}

export function card<P>(runbook: RunbookRef<P>, spec: CardSpec<P>): RegisteredCard {
  return {
    runbook: runbook.name,
    details: (run) => {
      const p = paramsOf(runbook, run);
      return p === undefined ? [] : spec.details(p, run);
    },
    ...(spec.dryRun ? { dryRun: (params: unknown) => spec.dryRun!(params as P) } : {}),
  };
}
