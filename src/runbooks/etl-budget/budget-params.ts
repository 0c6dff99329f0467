import { runbookRef } from '../../engine/index.js';

/** What is spent against the budget now, as EC2 (or, failing that, SpotManager's log) tells it. */
export interface Exposure {
  /** Sum of the bids of SpotManager's open and active spot requests ($/hour), when EC2 could tell. */
  exposure?: number;
  /** What those instances cost at the current spot price ($/hour). */
  currentPrice?: number;
  /** Live ETL instances and open requests. */
  fleetSize?: number;
  /** SpotManager's own last "Total Exposure", as a second opinion when EC2 could not be asked. */
  loggedExposure?: { exposure: number; at?: number };
}

/** What `/etl budget AMOUNT` planned: fixed when the run is created, shown on its card. */
export interface BudgetParams extends Exposure {
  /** The budget the requester saw ($/hour); the write refuses if the file says otherwise by then. */
  before: number;
  after: number;
  /** user@host and the path of the one file the run edits. */
  where: string;
  settingsPath: string;
}

/** What `/etl budget` (no amount) shows: the budget, where it is written, and what is spent against it. */
export interface BudgetReport extends Exposure {
  budget: number;
  where: string;
  settingsPath: string;
  /** Why EC2 could not say what is bid, when it could not. */
  exposureError?: string;
}

/** The exposure the warning is measured against: EC2's live number, else SpotManager's last. */
export function exposureOf(p: BudgetParams): number | undefined {
  return p.exposure ?? p.loggedExposure?.exposure;
}

/** Lowering the budget below what is already bid makes SpotManager terminate instances. */
export function cutsIntoFleet(p: BudgetParams): boolean {
  const e = exposureOf(p);
  return e !== undefined && p.after < e;
}

/** `/etl budget AMOUNT`: the runbook's step 10, "Increase SpotManager budget", as a run of its own. */
export const etlBudget = runbookRef<BudgetParams>('etl.budget');
