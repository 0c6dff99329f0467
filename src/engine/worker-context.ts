import type { Logger } from '../log.js';
import type { RunEvents } from './run-events.js';
import type { RunLocks } from './run-locks.js';
import type { RunStore } from './run-store.js';
import type { RunbookRegistry } from './runbook-registry.js';
import type { PauseReminders, RetryPolicy } from './types.js';

/** What the worker side of the engine needs; built once by the Engine. */
export interface WorkerDeps {
  store: RunStore;
  events: RunEvents;
  registry: RunbookRegistry;
  log: Logger;
  now: () => number;
  /** Aborted when the worker shuts down; handed to steps as `ctx.signal`. */
  signal: AbortSignal;
  approvalTtlMs: number;
  /** An approval older than this when its step comes to run no longer counts (asked again). */
  maxApprovalAgeMs: number;
  /** How long a cancelled/failed run offers revert/keep before it is kept by default. */
  undoOfferTtlMs: number;
  /** When a paused step is brought up again in its thread, and its default deadline. */
  pause: PauseReminders;
  /** A step's budget unless it sets its own (the watchdog). */
  stepBudgetMs: number;
  /** How often a running step call looks for a cancel. */
  cancelPollMs: number;
  retry: RetryPolicy;
  /** The runs' locks: a queued run takes its own when its turn comes (run-queue.ts). */
  locks: RunLocks;
  /** How often a queued run looks whether its lock is free. */
  queueRecheckMs: number;
}

/** What the processor does after one look at a run. */
export type Next =
  /** The run changed: look at it afresh (next step, cancel, end...). */
  | { kind: 'again' }
  /** Nothing can happen to the run any more: the job completes. */
  | { kind: 'finished' }
  /** Sleep until `at` (engine clock) without holding a worker; `rev` is the version the decision was based on. */
  | { kind: 'delay'; at: number; rev: number }
  /** The worker is shutting down: hand the job back to the queue for another worker. */
  | { kind: 'yield' };

export const AGAIN: Next = { kind: 'again' };
