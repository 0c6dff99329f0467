import type { RetryPolicy } from './types.js';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

/** The engine's defaults, each stated once (EngineOptions says what each one means). */
export const ENGINE_DEFAULTS = {
  /** Namespace of every Redis key the engine writes. */
  prefix: 'opsbot',
  queueName: 'runs',
  /** How long an approval request stays answerable. */
  approvalTtlMs: 30 * MINUTE,
  /** Retryable step errors: 2 s doubling to 1 min, giving up after 30 min of failures. */
  retry: { baseMs: 2_000, maxMs: MINUTE, giveUpAfterMs: 30 * MINUTE } satisfies RetryPolicy,
  /** How long a cancelled or failed run offers Revert / Keep as is. */
  undoOfferTtlMs: 7 * DAY,
  /** How often a paused run's job wakes to look again (harmless). */
  pauseRecheckMs: 7 * DAY,
} as const;
