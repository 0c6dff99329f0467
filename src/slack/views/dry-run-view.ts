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
  return {
    text: title,
    blocks: [
      header(title),
      ...cardDetailsFor(draftRun(plan)),
      context('Dry run: nothing was changed. Run it without --dry-run to request it.'),
    ],
  };
}

/**
 * The card's details are drawn from a run; a dry run has none, so this is the run it would be the
 * moment it was asked for: awaiting approval, no step done, no output, no approval, no offer.
 */
function draftRun<P>(plan: Plan<P>): Run {
  const now = Date.now();
  return {
    id: 'dry-run',
    runbook: plan.runbook.name,
    params: plan.params as Record<string, unknown>,
    requester: '',
    channel: '',
    ...(plan.cluster ? { cluster: plan.cluster } : {}),
    createdAt: now,
    updatedAt: now,
    status: 'awaiting_approval',
    summary: plan.runbook.name,
    phase: 'forward',
    steps: [],
    undoSteps: [],
    approvals: [],
    outputs: {},
  };
}

/** A dry-run message with more plan blocks, placed before its closing "nothing was changed" line. */
export function withPlanBlocks(message: SlackMessage, blocks: Block[]): SlackMessage {
  const last = message.blocks.length - 1;
  return { ...message, blocks: [...message.blocks.slice(0, last), ...blocks, ...message.blocks.slice(last)] };
}
