import type { Run } from '../../../engine/index.js';
import type { Block, SlackMessage } from '../blocks.js';
import { ACTIVEDATA_CARDS } from './activedata-cards.js';
import type { RegisteredCard } from './card.js';
import { ES_CARDS } from './es-cards.js';
import { ETL_CARDS } from './etl-cards.js';

/** Every runbook's card, by runbook name; runbooks without one show their steps only. */
const CARDS = new Map<string, RegisteredCard>(
  [...ES_CARDS, ...ACTIVEDATA_CARDS, ...ETL_CARDS].map((c) => [c.runbook, c]),
);

/** The runbook-specific blocks of a run's card (the plan). */
export function cardDetailsFor(run: Run): Block[] {
  return CARDS.get(run.runbook)?.details(run) ?? [];
}

/** The runbook's own dry-run answer, if it has one. */
export function dryRunFor(runbook: string, params: unknown): SlackMessage | undefined {
  return CARDS.get(runbook)?.dryRun?.(params);
}

export { card, type CardSpec, type RegisteredCard } from './card.js';
