import type { PauseReminders, RetryPolicy } from './types.js';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

/** The engine's defaults, each stated once (EngineOptions says what each one means). */
export const ENGINE_DEFAULTS = {
  /** Namespace of every Redis key the engine writes. */
  prefix: 'opsbot',
  queueName: 'runs',
  /** How long an approval request stays answerable. */
  approvalTtlMs: 30 * MINUTE,
  /**
   * How old an approval may be when its step comes to run: a 'plan' approval given before a
   * maintain's hours-long drain no longer covers the stop at its end; the card asks again.
   */
  maxApprovalAgeMs: 60 * MINUTE,
  /** Retryable step errors: 2 s doubling to 1 min, giving up after 30 min of failures. */
  retry: { baseMs: 2_000, maxMs: MINUTE, giveUpAfterMs: 30 * MINUTE } satisfies RetryPolicy,
  /** How long a cancelled or failed run offers Revert / Keep as is. */
  undoOfferTtlMs: 7 * DAY,
  /** A paused step's reminders in its thread (15 min, then 30, 1 h, 2 h, 4 h apart) and its deadline. */
  pause: { firstMs: 15 * MINUTE, maxMs: 4 * 60 * MINUTE, deadlineMs: 2 * 60 * MINUTE } satisfies PauseReminders,
  /** A step's budget unless it sets one: past it the watchdog raises an alarm (the step goes on). */
  stepBudgetMs: 30 * MINUTE,
  /** While a step call runs, how often the run is read for a cancel (which then aborts the call). */
  cancelPollMs: 1_000,
} as const;
