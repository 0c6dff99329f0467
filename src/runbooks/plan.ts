import type { RunbookRef } from '../engine/index.js';

/**
 * What a runbook's `plan` answers before any run exists, in one shape for every runbook: the
 * plan (the runbook and its params, which hold every fact the card shows) or a refusal.
 */
export type PlanResult<P> = Plan<P> | Refusal;

export interface Plan<P> {
  ok: true;
  runbook: RunbookRef<P>;
  params: P;
  /** The cluster the run changes, when it changes one (the run is filed under it). */
  cluster?: string;
}

/**
 * Why nothing will run, said to the requester: `what` in one line (with `reasons` as a list when
 * there are several), and `next`, the next human action. `nothingToDo`: not a problem, the estate
 * is already as asked (shown in the channel, e.g. "nothing to backfill").
 */
export interface Refusal {
  ok: false;
  what: string;
  reasons?: string[];
  next: string;
  nothingToDo?: boolean;
}

export function planned<P>(runbook: RunbookRef<P>, params: P, cluster?: string): Plan<P> {
  return { ok: true, runbook, params, ...(cluster !== undefined ? { cluster } : {}) };
}

export function refuse(what: string, next: string, reasons?: string[]): Refusal {
  return { ok: false, what, next, ...(reasons?.length ? { reasons } : {}) };
}

export function nothingToDo(what: string, next: string): Refusal {
  return { ok: false, what, next, nothingToDo: true };
}

/** A command that asks for a run: reads the estate through `deps`, answers a plan or a refusal. */
export type Planner<R, D, P = unknown> = (request: R, deps: D) => Promise<PlanResult<P>>;
