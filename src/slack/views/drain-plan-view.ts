import type { DrainParams } from '../../runbooks/index.js';
import type { FastThrottle } from '../../runbooks/es-drain/fast-plan.js';
import { roughDuration } from '../../runbooks/es-drain/drain-eta.js';
import { formatBytes } from '../../format.js';
import { context, escapeMrkdwn, fields, header, section, type Block, type SlackMessage } from './blocks.js';

const list = (l: string[]) => (l.length ? `\`${escapeMrkdwn(l.join(','))}\`` : '_(empty)_');

/** The plan of an undrain: only this node's entry leaves the list. */
export function undrainPlanBlocks(p: DrainParams): Block[] {
  return [section(`*Setting written* (persistent): \`${p.key}\`\nnow ${list(p.listBefore)} → ${list(p.listAfter)}`)];
}

/** `--fast` on the card: each throttle now → raised, the expected time at both, and the promise to restore. */
export function fastPlanText(f: FastThrottle): string {
  const rows = Object.entries(f.raise).map(
    ([k, v]) => `\`${k}\`: ${escapeMrkdwn(f.effectiveBefore[k] ?? '?')} → *${escapeMrkdwn(v)}*`,
  );
  const times =
    f.defaultSeconds !== undefined && f.fastSeconds !== undefined
      ? `\n*Expected time*: ≈ ${roughDuration(f.defaultSeconds)} at the throttle in force, ` +
        `≈ ${roughDuration(f.fastSeconds)} raised`
      : '';
  return (
    '*Recovery throttle* (--fast, persistent; restored to exactly these values when the drain ends, ' +
    `is cancelled or fails)\n${rows.join('\n')}${times}`
  );
}

/** The plan facts of a drain, as the card shows them before and during the run. */
export function drainPlanBlocks(p: DrainParams): Block[] {
  const blocks: Block[] = [
    fields([
      p.drainSet && p.drainSet.length > 1
        ? `*Nodes*\n${p.drainSet
            .map((n) => escapeMrkdwn(`${n.node} (${n.ip}): ${n.shards} shards, ${formatBytes(n.bytes)}`))
            .join('\n')}`
        : `*Node*\n${escapeMrkdwn(`${p.node} (${p.ip})`)}`,
      `*On ${p.drainSet && p.drainSet.length > 1 ? 'them' : 'it'}*\n${p.shards} shards, ${formatBytes(p.bytes)}`,
      `*Room elsewhere*\n${formatBytes(p.capacityBytes)} free under the high watermark on ${p.targets} nodes`,
      `*Health at request*\n${p.baselineHealth}`,
    ]),
    section(`*Setting written* (persistent): \`${p.key}\`\nnow ${list(p.listBefore)} → ${list(p.listAfter)}`),
  ];
  if (p.fast) blocks.push(section(fastPlanText(p.fast)));
  if (p.removeStale?.length)
    blocks.push(section(`:broom: Also removes stale entries that match no node: ${list(p.removeStale)}`));
  if (p.warnings.length) blocks.push(section(p.warnings.map((w) => `:warning: ${w}`).join('\n')));
  return blocks;
}

/** `/es drain NODE --dry-run`: the plan, no buttons, nothing touched. */
export function drainDryRunView(p: DrainParams): SlackMessage {
  return {
    text: `Dry run: draining ${p.node} would set ${p.key} to ${p.listAfter.join(',')}`,
    blocks: [
      header(`Dry run: drain ${p.node} on ${p.cluster}`),
      ...drainPlanBlocks(p),
      context('Dry run: nothing was changed. Run it without --dry-run to request it.'),
    ],
  };
}
