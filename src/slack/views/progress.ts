import type { Progress } from '../../engine/types.js';
import { fields, section, type Block } from './blocks.js';

const BAR_WIDTH = 20;

/** `▓▓▓▓▓▓░░░░ 60%`: readable on a phone, in any font. */
export function progressBar(fraction: number): string {
  const f = Math.min(1, Math.max(0, fraction));
  const filled = Math.round(f * BAR_WIDTH);
  return `${'▓'.repeat(filled)}${'░'.repeat(BAR_WIDTH - filled)} ${Math.floor(f * 100)}%`;
}

/** A step's progress: bar, one line of text, and up to ten labelled figures (`fields`). */
export function progressBlocks(p: Progress): Block[] {
  const blocks: Block[] = [];
  const lines = [p.fraction !== undefined ? `\`${progressBar(p.fraction)}\`` : undefined, p.text].filter(Boolean);
  if (lines.length) blocks.push(section(lines.join('\n')));
  const figures = p.fields;
  if (figures && typeof figures === 'object') {
    const items = Object.entries(figures as Record<string, string>).map(([k, v]) => `*${k}*\n${v}`);
    if (items.length) blocks.push(fields(items));
  }
  return blocks;
}
