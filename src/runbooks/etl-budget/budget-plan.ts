import { OperatorError } from '../../problem.js';
import { formatBudget, type EtlSettings } from '../../targets/spotmanager/index.js';
import { describeEtlProblem, isEtlProblem } from '../etl-deploy/operator-errors.js';
import { planned, refuse, type PlanResult } from '../plan.js';
import { etlBudget, type BudgetParams, type BudgetReport, type Exposure } from './budget-params.js';
import type { EtlBudgetDeps } from './budget-runbook.js';

/** A typo guard, not a policy: SpotManager's budgets are a few dollars an hour. */
const MAX_BUDGET = 1000;
const NOTHING = 'Nothing was changed.';

type Settings = EtlSettings & { path: string; where: string };

/** The ETL settings on the manager host, or why they cannot be read (in the words the requester sees). */
async function readBudget(deps: EtlBudgetDeps): Promise<Settings | { problem: string }> {
  try {
    const sm = deps.etl.spotManager();
    return { ...(await sm.readSettings()), where: sm.where };
  } catch (err) {
    if (!isEtlProblem(err)) throw err;
    return { problem: `Cannot read the ETL budget: ${describeEtlProblem(err, 'settings')}` };
  }
}

/** What is spent against the budget now: EC2's bids, or SpotManager's own last figure if EC2 cannot be asked. */
async function readExposure(deps: EtlBudgetDeps): Promise<Exposure & { exposureError?: string }> {
  try {
    const fleet = await deps.etl.fleet.listEtlInstances();
    return { exposure: fleet.exposure, currentPrice: fleet.hourlyCost, fleetSize: fleet.members.length };
  } catch (err) {
    if (!isEtlProblem(err)) throw err;
    const out: Exposure & { exposureError?: string } = { exposureError: describeEtlProblem(err, 'EC2') };
    try {
      const run = await deps.etl.spotManager().lastRun();
      if (run?.exposure !== undefined)
        out.loggedExposure = { exposure: run.exposure, ...(run.startedAt !== undefined ? { at: run.startedAt } : {}) };
    } catch {
      /* the log cannot tell either: the card then says neither EC2 nor SpotManager's log could tell */
    }
    return out;
  }
}

/**
 * `/etl budget`: the budget and what is spent against it; nothing changes. A malformed file, an
 * unreachable host or a missing manager host are the requester's to fix, said in their words.
 */
export async function readEtlBudget(_req: object, deps: EtlBudgetDeps): Promise<BudgetReport> {
  const settings = await readBudget(deps);
  if ('problem' in settings) throw new OperatorError(settings.problem, NOTHING);
  return { budget: settings.budget, where: settings.where, settingsPath: settings.path, ...(await readExposure(deps)) };
}

/**
 * `/etl budget AMOUNT`: a run whose one step writes the new budget into the ETL settings file,
 * after a second person approves; the card shows the current exposure and warns when the new
 * budget is below it. Refused (nothing created) when the settings cannot be read, for a typo, or
 * when the budget already is that amount.
 */
export async function planEtlBudget(req: { amount: number }, deps: EtlBudgetDeps): Promise<PlanResult<BudgetParams>> {
  const settings = await readBudget(deps);
  if ('problem' in settings) return refuse(settings.problem, NOTHING);
  const { exposureError: _shownOnlyByTheQuery, ...exposure } = await readExposure(deps);
  if (req.amount > MAX_BUDGET) {
    return refuse(`$${req.amount}/hour is more than ${MAX_BUDGET} dollars an hour: that looks like a typo.`, NOTHING);
  }
  if (req.amount === settings.budget)
    return refuse(`The ETL budget is already $${formatBudget(settings.budget)}/hour.`, 'Nothing to change.');
  return planned(etlBudget, {
    before: settings.budget,
    after: req.amount,
    where: settings.where,
    settingsPath: settings.path,
    ...exposure,
  });
}
