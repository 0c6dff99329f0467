import type { Run } from '../../../engine/index.js';
import {
  etlBackfill,
  etlBudget,
  etlDeploy,
  revertPlan,
  spotStart,
  type EtlDeployParams,
  type SpotStartParams,
} from '../../../runbooks/index.js';
import { escapeMrkdwn, section, type Block } from '../blocks.js';
import { backfillPlanBlocks } from '../etl-backfill-view.js';
import { budgetPlanBlocks } from '../etl-budget-view.js';
import { etlDeployBlocks } from '../etl-deploy-view.js';
import { card } from './card.js';

const cronLine = (l: { index: number; text: string }) =>
  `line ${l.index + 1}: \`${escapeMrkdwn(l.text).replace(/`/g, "'")}\``;

/** `/spot start`: the exact lines it gives back, and the disabled lines it leaves alone. */
function spotStartBlocks(p: SpotStartParams): Block[] {
  // A run planned before the lines were recorded shows its steps only.
  if (!Array.isArray(p.lines)) return [];
  const blocks = [
    section(`*Restores* in ${escapeMrkdwn(p.cronWhere)} (disabled by the bot):\n${p.lines.map(cronLine).join('\n')}`),
  ];
  if (p.others.length)
    blocks.push(
      section(`:warning: *Left alone* (commented out, but not by the bot):\n${p.others.map(cronLine).join('\n')}`),
    );
  return blocks;
}

/** While Revert is on offer or waits for its approval: what it will do, as one approved step. */
function deployRevertBlocks(p: EtlDeployParams, run: Run): Block[] {
  const offered = run.undoOffer !== undefined && !run.undoOffer.decided;
  const reverting = run.phase === 'undo' && run.status !== 'reverted';
  if (!offered && !reverting) return [];
  const steps = revertPlan(run, p).map((line, i) => `${i + 1}. ${line}`);
  return [section(`*${offered ? 'Revert would' : 'The revert does'}*, as one approved step:\n${steps.join('\n')}`)];
}

/** The cards of the ETL runbooks. */
export const ETL_CARDS = [
  card(etlBudget, { details: (p) => budgetPlanBlocks(p) }),
  card(etlDeploy, { details: (p, run) => [...etlDeployBlocks(p, run), ...deployRevertBlocks(p, run)] }),
  card(etlBackfill, { details: (p) => backfillPlanBlocks(p) }),
  card(spotStart, { details: spotStartBlocks }),
];
