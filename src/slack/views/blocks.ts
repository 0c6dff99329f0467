import type { types } from '@slack/bolt';
import { escapeMrkdwn } from '../../format.js';

/** The one escaper for untrusted text (foundation: runbooks use it for their notes too). */
export { escapeMrkdwn };

export type Block = types.KnownBlock;
/** What the bot sends: fallback text (notifications, screen readers) and Block Kit blocks. */
export interface SlackMessage {
  text: string;
  blocks: Block[];
}

/** Slack refuses section text over 3,000 characters; we stay under with room for code fences. */
export const SECTION_LIMIT = 2900;
/** Slack refuses messages with more than 50 blocks. */
export const BLOCK_LIMIT = 50;

export const header = (text: string): Block => ({
  type: 'header',
  text: { type: 'plain_text', text: text.slice(0, 150), emoji: true },
});
export const section = (text: string): Block => ({
  type: 'section',
  text: { type: 'mrkdwn', text: text.slice(0, 3000) },
});
export const fields = (items: string[]): Block => ({
  type: 'section',
  fields: items.slice(0, 10).map((t) => ({ type: 'mrkdwn', text: t.slice(0, 2000) })),
});
export const context = (text: string): Block => ({
  type: 'context',
  elements: [{ type: 'mrkdwn', text: text.slice(0, 3000) }],
});
export const divider = (): Block => ({ type: 'divider' });

/**
 * A monospace table split over as many sections as Slack's text limit needs, at row boundaries.
 * Past `maxSections` the rest is summarised in one line, so a 100-node cluster still fits a message.
 */
export function codeTable(rows: string[], maxSections = 4): Block[] {
  // Cells are cluster data: escaped here, once, so a node or index name cannot mention or link.
  const lines = rows.map(escapeMrkdwn);
  const blocks: Block[] = [];
  let chunk: string[] = [];
  let size = 0;
  let i = 0;
  for (; i < lines.length; i++) {
    const line = lines[i]!;
    if (size + line.length + 1 > SECTION_LIMIT && chunk.length) {
      blocks.push(section('```' + chunk.join('\n') + '```'));
      chunk = [];
      size = 0;
      if (blocks.length === maxSections) break;
    }
    chunk.push(line);
    size += line.length + 1;
  }
  if (chunk.length && blocks.length < maxSections) blocks.push(section('```' + chunk.join('\n') + '```'));
  else if (i < lines.length) blocks.push(context(`… and ${lines.length - i} more rows`));
  return blocks;
}

/** Left-aligned columns, widths from the longest cell. */
export function alignColumns(rows: string[][]): string[] {
  const widths: number[] = [];
  for (const r of rows)
    r.forEach((c, i) => {
      widths[i] = Math.max(widths[i] ?? 0, c.length);
    });
  return rows.map((r) =>
    r
      .map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd(),
  );
}
