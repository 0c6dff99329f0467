import type { Runbook, Step, StepOutcome } from '../../engine/index.js';
import type { EtlTargets } from '../../targets/etl/index.js';
import { formatBudget, SpotManagerError } from '../../targets/spotmanager/index.js';
import { etlBudget, type BudgetParams } from './budget-params.js';
import { budgetFacts } from './budget-facts.js';
import { ETL_SPOTMANAGER_LOCK } from '../etl-deploy/index.js';

export interface EtlBudgetDeps {
  etl: EtlTargets;
}

const dollars = (n: number) => `$${formatBudget(n)}/hour`;

/** Writes `to` into the ETL settings if they still say `from`; a problem the operator must fix fails the run. */
async function writeBudget(deps: EtlBudgetDeps, p: BudgetParams, from: number, to: number): Promise<StepOutcome> {
  try {
    const change = await deps.etl.spotManager().setBudget(to, { expect: from });
    const where = `${change.path} on ${p.where}`;
    return change.changed
      ? {
          status: 'done',
          summary:
            `budget ${dollars(change.before)} → ${dollars(change.after)} in ${where}; ` +
            'SpotManager applies it on its next run',
          output: { budget: change.after },
        }
      : {
          status: 'done',
          summary: `budget was already ${dollars(to)} in ${where}; nothing written`,
          output: { budget: to },
        };
  } catch (err) {
    // Config, malformed file, someone else's edit: retrying cannot help. SSH outages are retried by the engine.
    if (err instanceof SpotManagerError) return { status: 'fail', reason: err.message };
    throw err;
  }
}

/**
 * The runbook's step 10, "Increase SpotManager budget", on its own: one approved edit of the
 * budget in the ETL settings file (never the ES one), undone by writing the old value back.
 */
export function budgetRunbook(deps: EtlBudgetDeps): Runbook<BudgetParams> {
  return {
    ...etlBudget,
    facts: () => budgetFacts(deps.etl),
    lock: () => ETL_SPOTMANAGER_LOCK,
    summary: (p) =>
      `${p.after > p.before ? 'Increase' : 'Lower'} the ETL budget: ${dollars(p.before)} → ${dollars(p.after)}`,
    steps: (p): Step<BudgetParams>[] => [
      {
        id: 'set-budget',
        title: p.after > p.before ? 'Increase SpotManager budget' : 'Lower SpotManager budget',
        destructive: true,
        run: () => writeBudget(deps, p, p.before, p.after),
        undo: {
          id: 'restore-budget',
          title: 'Restore SpotManager budget',
          destructive: true,
          run: () => writeBudget(deps, p, p.after, p.before),
        },
      },
    ],
  };
}
