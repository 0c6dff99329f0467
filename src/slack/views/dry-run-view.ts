import type { Run } from '../../engine/index.js';
import type { Plan } from '../../runbooks/index.js';
import { context, header, type Block, type SlackMessage } from './blocks.js';
import { cardDetailsFor } from './cards/index.js';

/**
 * `--dry-run` for a runbook without a dry-run view of its own: its plan blocks, no buttons.
 * `command` is what was typed, as policy names it ("es undrain"): the header says "/es undrain".
 */
export function dryRunView<P>(plan: Plan<P>, command?: string): SlackMessage {
  const title = `Dry run: ${command ? `/${command}` : plan.runbook.name}${plan.cluster ? ` on ${plan.cluster}` : ''}`;
  // The card's details are drawn from a run; a dry run has none, so this is the run it would be.
  const draft = { runbook: plan.runbook.name, params: plan.params } as unknown as Run;
  return {
    text: title,
    blocks: [
      header(title),
      ...cardDetailsFor(draft),
      context('Dry run: nothing was changed. Run it without --dry-run to request it.'),
    ],
  };
}

/** A dry-run message with more plan blocks, placed before its closing "nothing was changed" line. */
export function withPlanBlocks(message: SlackMessage, blocks: Block[]): SlackMessage {
  const last = message.blocks.length - 1;
  return { ...message, blocks: [...message.blocks.slice(0, last), ...blocks, ...message.blocks.slice(last)] };
}
