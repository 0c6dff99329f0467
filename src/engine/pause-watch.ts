import type { PauseReminders, StepRecord } from './types.js';

type Pause = NonNullable<StepRecord['pause']>;

/**
 * When the reminder after the `given` ones is due, for something waiting since `since`: first
 * after `firstMs`, then each twice as far from the last, at most `maxMs` apart (15 min, 30, 1 h,
 * 2 h, 4 h, 4 h...). Shared by pauses, pending approvals and open Revert offers.
 */
export function nextReminderAt(since: number, given: number, r: Pick<PauseReminders, 'firstMs' | 'maxMs'>): number {
  let at = since;
  for (let i = 0; i <= given; i++) at += Math.min(r.firstMs * 2 ** i, r.maxMs);
  return at;
}

/**
 * When the next word about a waiting pause is due: the reminder after those already given, at
 * growing intervals (first, then doubling, at most `maxMs` apart), or the deadline itself if it
 * comes first and was not announced yet. Pure: the processor sleeps until then.
 */
export function nextPauseWord(pause: Pause, r: PauseReminders): number {
  const at = nextReminderAt(pause.at, pause.reminded ?? 0, r);
  if (pause.deadlineAt !== undefined && pause.overdueSince === undefined) return Math.min(at, pause.deadlineAt);
  return at;
}

/**
 * When the next word about something that expires is due (a pending approval, an open Revert
 * offer): its next reminder, or its expiry if that comes first (announced by its own event).
 */
export function nextWaitWord(
  wait: { since: number; reminded?: number; expiresAt: number },
  r: Pick<PauseReminders, 'firstMs' | 'maxMs'>,
): number {
  return Math.min(nextReminderAt(wait.since, wait.reminded ?? 0, r), wait.expiresAt);
}

/**
 * How many reminders are behind `now` (at least `given`): a job that slept past several (a worker
 * down for hours) says it once, not once for each it missed.
 */
export function remindersDue(
  since: number,
  given: number,
  now: number,
  r: Pick<PauseReminders, 'firstMs' | 'maxMs'>,
): number {
  let n = given;
  while (nextReminderAt(since, n, r) <= now) n++;
  return n;
}
