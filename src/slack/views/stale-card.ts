import type { AnyRunbook, Run } from '../../engine/index.js';
import { divider, section } from './blocks.js';
import { runCard } from './run-card.js';

/**
 * The answer to an approval clicked on a card that no longer shows the pending plan, for the
 * clicker alone: why nothing was recorded, then the card as it is now, whose buttons carry the
 * current step and plan (approving from there approves what is shown).
 */
export function staleCardReply(
  why: string,
  run: Run | undefined,
  runbook: AnyRunbook | undefined,
): { response_type: 'ephemeral'; text: string; blocks?: ReturnType<typeof runCard>['blocks'] } {
  if (!run) return { response_type: 'ephemeral', text: why };
  const card = runCard(run, runbook ? { runbook } : {});
  return {
    response_type: 'ephemeral',
    text: `${why} ${card.text}`,
    blocks: [section(`:warning: ${why}`), divider(), ...card.blocks],
  };
}
