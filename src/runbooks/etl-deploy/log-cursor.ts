import { parseLog, type SpotEvent } from '../../targets/spotmanager/index.js';

/**
 * Where a step got to in SpotManager's log: the last line it has seen. The log only grows (until
 * it rotates), so the lines after that one are the new ones; if it is gone from the tail, every
 * line of the tail newer than `notBefore` counts as new.
 */
export function newLines(lines: readonly string[], lastSeen: string | undefined): string[] {
  if (lastSeen === undefined) return [...lines];
  const i = lines.lastIndexOf(lastSeen);
  return i < 0 ? [...lines] : lines.slice(i + 1);
}

/**
 * The events of new lines written at or after `notBefore` (ms; the log has whole seconds, so the
 * second of `notBefore` counts).
 */
export function newEvents(lines: readonly string[], lastSeen: string | undefined, notBefore: number): SpotEvent[] {
  const floor = Math.floor(notBefore / 1000) * 1000;
  return parseLog(newLines(lines, lastSeen)).filter((e) => e.at === undefined || e.at >= floor);
}
