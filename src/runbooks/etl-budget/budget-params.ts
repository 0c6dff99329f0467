/** What `/etl budget AMOUNT` planned: fixed when the run is created, shown on its card. */
export interface BudgetParams {
  /** The budget the requester saw ($/hour); the write refuses if the file says otherwise by then. */
  before: number;
  after: number;
  /** Sum of the bids of SpotManager's open and active spot requests ($/hour), when EC2 could tell. */
  exposure?: number;
  /** What those instances cost at the current spot price ($/hour). */
  currentPrice?: number;
  /** Live ETL instances and open requests. */
  fleetSize?: number;
  /** SpotManager's own last "Total Exposure", as a second opinion when EC2 could not be asked. */
  loggedExposure?: { exposure: number; at?: number };
  /** user@host and the path of the one file the run edits. */
  where: string;
  settingsPath: string;
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
