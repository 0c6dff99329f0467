import type { BackfillParams } from '../../runbooks/index.js';
import { escapeMrkdwn, fields, section, type Block } from './blocks.js';

/** The plan of a backfill, as its card shows it. */
export function backfillPlanBlocks(p: BackfillParams): Block[] {
  return [
    fields([
      `*From*\n${escapeMrkdwn(p.source)} (keys missing from ${escapeMrkdwn(p.destination)})`,
      `*Onto*\n${escapeMrkdwn(p.queue)}: ${p.depthAtPlan} message(s) at request (refused above ${p.maxQueued})`,
      p.truncated
        ? `*Keys*\n${p.missing} missing in the first ${p.listedAtPlan ?? '?'} listed (the run lists them all)`
        : `*Keys*\n${p.missing} missing`,
    ]),
    ...(p.sample.length ? [section(`*First keys*: ${p.sample.map((k) => `\`${escapeMrkdwn(k)}\``).join(', ')}`)] : []),
  ];
}
