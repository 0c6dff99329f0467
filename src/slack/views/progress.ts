import type { Progress } from '../../engine/types.js';
import { fields, section, type Block } from './blocks.js';
import { slackTime } from './slack-time.js';

const BAR_WIDTH = 20;

/** `▓▓▓▓▓▓░░░░ 60%`: readable on a phone, in any font. */
export function progressBar(fraction: number): string {
  const f = Math.min(1, Math.max(0, fraction));
  const filled = Math.round(f * BAR_WIDTH);
  return `${'▓'.repeat(filled)}${'░'.repeat(BAR_WIDTH - filled)} ${Math.floor(f * 100)}%`;
}

/**
 * When the step forecasts its finish (`etaAt`, ms since the epoch, and optionally `etaRangeAt`,
 * its earliest and latest), the time of day it ends, so a reader can plan around it.
 */
function finishLine(p: Progress): string | undefined {
  if (typeof p.etaAt !== 'number' || !Number.isFinite(p.etaAt)) return undefined;
  const range = Array.isArray(p.etaRangeAt) ? (p.etaRangeAt as unknown[]) : [];
  const [low, high] = range;
  const spread =
    typeof low === 'number' && typeof high === 'number' && high - low >= 60_000
      ? ` (between ${slackTime(low, '{time}')} and ${slackTime(high, '{time}')})`
      : '';
  return `done ${slackTime(p.etaAt)}${spread}`;
}

/** A step's progress: bar, one line of text, and up to ten labelled figures (`fields`). */
export function progressBlocks(p: Progress): Block[] {
  const blocks: Block[] = [];
  const lines = [p.fraction !== undefined ? `\`${progressBar(p.fraction)}\`` : undefined, p.text].filter(Boolean);
  if (lines.length) blocks.push(section(lines.join('\n')));
  const figures = p.fields;
  if (figures && typeof figures === 'object') {
    const finish = finishLine(p);
    const items = Object.entries(figures as Record<string, string>).map(
      ([k, v]) => `*${k}*\n${k === 'ETA' && finish ? `${v}\n${finish}` : v}`,
    );
    if (items.length) blocks.push(fields(items));
  }
  return blocks;
}
