import type { PauseReminders, StepRecord } from './types.js';

type Pause = NonNullable<StepRecord['pause']>;

/**
 * When the next word about a waiting pause is due: the reminder after those already given, at
 * growing intervals (first, then doubling, at most `maxMs` apart), or the deadline itself if it
 * comes first and was not announced yet. Pure: the processor sleeps until then.
 */
export function nextPauseWord(pause: Pause, r: PauseReminders): number {
  const given = pause.reminded ?? 0;
  let at = pause.at;
  for (let i = 0; i <= given; i++) at += Math.min(r.firstMs * 2 ** i, r.maxMs);
  if (pause.deadlineAt !== undefined && pause.overdueSince === undefined) return Math.min(at, pause.deadlineAt);
  return at;
}
