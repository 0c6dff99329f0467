import { paramsOf, raisedAlarms, type AnyRunbook, type Run } from '../../engine/index.js';
import { section, type Block } from './blocks.js';

const ENDED = new Set<Run['status']>(['failed', 'cancelled', 'denied', 'expired', 'reverted', 'succeeded']);

const sentence = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/**
 * The alarms the runbook declares, for the conditions this run has left raised (see
 * Step.raises): while it goes forward, the runbook's `during` line; once it ended (or while it
 * reverts), the loud alarm and the way out: the card's Revert when it is on offer and undoes
 * the step that raised it, otherwise the runbook's fix.
 */
export function alarmBlocks(run: Run, runbook: AnyRunbook | undefined): Block[] {
  const alarms = runbook?.alarms;
  const params: unknown = runbook ? paramsOf(runbook, run) : undefined;
  if (!alarms || params === undefined) return [];
  const ended = ENDED.has(run.status);
  const reverting = run.phase === 'undo' && !ended;
  const blocks: Block[] = [];
  for (const name of raisedAlarms(run)) {
    const alarm = alarms[name];
    if (!alarm) continue;
    if (!ended && !reverting) {
      if (alarm.during) blocks.push(section(`:double_vertical_bar: ${alarm.during(params)}`));
      continue;
    }
    const raisers = run.steps.filter((s) => s.status === 'done' && s.raises?.includes(name)).map((s) => s.id);
    const offer = run.undoOffer;
    const offered = offer !== undefined && !offer.decided && offer.undoable.some((id) => raisers.includes(id));
    const next = reverting
      ? `The revert runs the approved *${alarm.revert}*.`
      : offered
        ? `Press *Revert* to run the approved *${alarm.revert}*, or ${alarm.fix(params)}.`
        : `${sentence(alarm.fixAlone?.(params) ?? alarm.fix(params))}.`;
    blocks.push(section(`:rotating_light: *${alarm.title(params)}*${alarm.detail(params)} ${next}`));
  }
  return blocks;
}
