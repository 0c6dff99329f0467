import type { BackfillParams } from '../../runbooks/index.js';
import { escapeMrkdwn, fields, section, type Block } from './blocks.js';

/** The plan of a backfill, as its card shows it. */
export function backfillPlanBlocks(p: BackfillParams): Block[] {
  return [
    fields([
      `*From*\n${escapeMrkdwn(p.source)} (keys missing from ${escapeMrkdwn(p.destination)})`,
      `*Onto*\n${escapeMrkdwn(p.queue)}: ${p.depthAtPlan} message(s) at request (refused above ${p.maxQueued})`,
      `*Keys*\n${p.missing}${p.truncated ? ' (more remain for a later backfill)' : ''}`,
    ]),
    section(`*First keys*: ${p.sample.map((k) => `\`${escapeMrkdwn(k)}\``).join(', ')}`),
  ];
}
