import type { Run } from '../../engine/index.js';
import { escapeMrkdwn } from '../../format.js';
import { section, type Block } from './blocks.js';

/** The card's banner on a break-glass run: who ran it alone, and why, for everyone in the channel. */
export function breakGlassBlocks(run: Run): Block[] {
  if (!run.breakGlass) return [];
  return [
    section(
      `:rotating_light: *Break-glass*: <@${run.breakGlass.by}> runs this without a second approval. ` +
        `Reason: ${escapeMrkdwn(run.breakGlass.reason)}`,
    ),
  ];
}
