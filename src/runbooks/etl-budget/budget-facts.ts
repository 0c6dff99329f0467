import type { EtlTargets } from '../../targets/etl/index.js';
import { formatBudget } from '../../targets/spotmanager/index.js';

/**
 * The fact an approval of a budget change is bound to: the budget in the ETL settings file now.
 * Someone else's edit between the approval and the write voids it (the write itself also refuses
 * a file that no longer says what the card showed).
 */
export async function budgetFacts(etl: EtlTargets): Promise<Record<string, string>> {
  const settings = await etl.spotManager().readSettings();
  return { budget: `$${formatBudget(settings.budget)}/hour` };
}
