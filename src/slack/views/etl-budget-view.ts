import {
  cutsIntoFleet,
  exposureOf,
  type BudgetParams,
  type BudgetReport,
  type Exposure,
} from '../../runbooks/index.js';
import { context, escapeMrkdwn, fields, header, section, type Block, type SlackMessage } from './blocks.js';
import { perHour } from './etl-format.js';
import { slackTime } from './slack-time.js';

function exposureLine(p: Exposure): string {
  if (p.exposure !== undefined) {
    return (
      `${perHour(p.exposure)} bid by ${p.fleetSize ?? '?'} instances and requests ` +
      `(current price ${perHour(p.currentPrice)})`
    );
  }
  if (p.loggedExposure) {
    const at = p.loggedExposure.at ? `, ${slackTime(p.loggedExposure.at)}` : '';
    return `${perHour(p.loggedExposure.exposure)} (SpotManager's last run${at}; EC2 could not be asked)`;
  }
  return "unknown (neither EC2 nor SpotManager's log could tell)";
}

/** The warning the issue asks for: a budget under the exposure makes SpotManager terminate instances. */
export function budgetWarning(p: BudgetParams): string | undefined {
  if (!cutsIntoFleet(p)) return undefined;
  return (
    `:warning: ${perHour(p.after)} is below the current exposure of ${perHour(exposureOf(p))}: ` +
    'on its next run SpotManager will terminate instances until its bids fit the budget.'
  );
}

/** The plan of a budget change, as its run card shows it. */
export function budgetPlanBlocks(p: BudgetParams): Block[] {
  const blocks: Block[] = [
    fields([`*Budget*\n${perHour(p.before)} → *${perHour(p.after)}*`, `*Current exposure*\n${exposureLine(p)}`]),
    section(
      `*File edited*: \`${escapeMrkdwn(p.settingsPath)}\` on ${escapeMrkdwn(p.where)}: ` +
        "only the budget's number changes, comments and layout stay; the ES settings are never touched. " +
        'SpotManager picks it up on its next run (every 10 minutes).',
    ),
  ];
  const warning = budgetWarning(p);
  if (warning) blocks.push(section(warning));
  return blocks;
}

/** `/etl budget`: the budget and what is spent against it; nothing changes. */
export function budgetView(b: BudgetReport): SlackMessage {
  const blocks: Block[] = [
    header(`ETL budget: ${perHour(b.budget)}`),
    fields([`*Budget*\n${perHour(b.budget)}`, `*Current exposure*\n${exposureLine(b)}`]),
  ];
  if (b.exposureError) blocks.push(context(`EC2: ${escapeMrkdwn(b.exposureError)}`));
  blocks.push(
    context(
      `from \`${escapeMrkdwn(b.settingsPath)}\` on ${escapeMrkdwn(b.where)} · ` +
        '`/etl budget 2.50` to change it (a second person approves)',
    ),
  );
  return { text: `ETL budget: ${perHour(b.budget)}`, blocks };
}
