import { formatBytes } from '../../format.js';
import type { FeasibilityNote } from '../../runbooks/es-feasibility/index.js';
import { escapeMrkdwn, section, type Block } from './blocks.js';

/**
 * The per-shard precheck on a plan card and a dry-run card: what must move, where it can go under
 * the low watermark, the largest shard's fit, the fullest target afterwards, and what is tight.
 */
export function feasibilityBlocks(note: FeasibilityNote | undefined): Block[] {
  if (!note) return [];
  const lines: string[] = [];
  if (note.movingCopies > 0) {
    const largest = note.largest
      ? ` Largest: ${note.largest.shard} (${formatBytes(note.largest.bytes)}), fits on ${note.largest.fitsOn} ` +
        `node${note.largest.fitsOn === 1 ? '' : 's'}.`
      : '';
    const fullest = note.fullest
      ? ` Fullest target afterwards: ${note.fullest.node} at ${note.fullest.usedPercent}% used.`
      : '';
    lines.push(
      `*Precheck (per shard)*: ${note.movingCopies} copies (${formatBytes(note.movingBytes)}) leave ` +
        `${note.from.join(', ')}; each has an eligible target among ${note.targets} nodes ` +
        `(${formatBytes(note.roomUnderLowBytes)} free under the low watermark ${note.low}; high ${note.high}).` +
        largest +
        fullest,
    );
  } else if (!note.warnings.length) {
    lines.push('*Precheck (per shard)*: no shard copy has to move elsewhere.');
  }
  lines.push(...note.warnings.map((w) => `:warning: ${w}`));
  return [section(escapeMrkdwn(lines.join('\n')))];
}
