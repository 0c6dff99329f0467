import type { Run, RunEvent } from '../../engine/types.js';
import { duration, escapeMrkdwn, utcTime } from '../../format.js';

/**
 * The words of a person's pause of a run (Pause / Resume, `/ops pause|resume`), of Retry step
 * and Re-run: the card's status line while paused or pausing, and the thread replies.
 */

/** The estate a paused run is left in, one bullet a change (the steps' own summaries, escaped). */
function estateLines(estate: string[] | undefined): string {
  return (estate ?? []).map((l) => `• ${escapeMrkdwn(l)}`).join('\n');
}

/** The card's status line of a paused run; undefined unless a person's pause is in effect. */
export function pauseStatusText(run: Run): string | undefined {
  const hold = run.hold;
  if (run.status !== 'paused' || hold?.since === undefined) return undefined;
  return (
    `:double_vertical_bar: *Paused* by <@${hold.by}> since ${utcTime(hold.since)}. ` +
    `The run keeps its lock; the estate is left as it is:\n${estateLines(hold.estate)}\n` +
    'Press *Resume* to go on where it stopped, or *Cancel* to stop it (then Revert or Keep as is).'
  );
}

/** What the card's status line says more while a pause is asked but not yet taken ('' otherwise). */
export function pausingSuffix(run: Run): string {
  const hold = run.hold;
  if (!hold || hold.since !== undefined || (run.status !== 'running' && run.status !== 'waiting')) return '';
  return `\n:double_vertical_bar: Pausing at the next safe point (asked by <@${hold.by}> ${utcTime(hold.at)}).`;
}

/** Thread replies for pause, resume, retry and re-run; undefined for other events. */
export function pauseThreadText(run: Run, ev: RunEvent): string | undefined {
  const title = (id: string) => run.steps.find((s) => s.id === id)?.title ?? id;
  switch (ev.type) {
    case 'pause_requested':
      return (
        `:double_vertical_bar: <@${ev.by}> asked to pause; ` +
        'the run stops at its next safe point (never inside a step).'
      );
    case 'run_paused':
      return (
        `:double_vertical_bar: Paused${ev.step ? ` before *${title(ev.step)}*` : ''}, as <@${ev.by}> asked. ` +
        `The lock is kept and the estate is left as:\n${estateLines(ev.estate)}\n` +
        `Resume from the card or with \`/ops resume ${run.id}\`.`
      );
    case 'run_pause_reminder':
      return (
        `:bell: <@${ev.by}> this run has been paused for ${duration(ev.waitedMs)}, holding its lock. ` +
        `Press *Resume* on the card (or \`/ops resume ${run.id}\`), or *Cancel* it.`
      );
    case 'run_resumed':
      return ev.pausedMs === undefined
        ? `:arrow_forward: <@${ev.by}> withdrew the pause before it took effect; the run goes on.`
        : `:arrow_forward: <@${ev.by}> resumed the run after ${duration(ev.pausedMs)} paused.`;
    case 'step_retried': {
      const again = run.pendingApproval ? ' It is destructive: it needs a fresh approval first.' : '';
      return `:repeat: <@${ev.by}> retries *${title(ev.step)}*.${again}`;
    }
    case 'rerun':
      return ev.run
        ? `:repeat: <@${ev.by}> re-ran this as run \`${ev.run}\`: a fresh plan on its own card, approved again.`
        : `:repeat: <@${ev.by}> asked to re-run this; no new run came of it (they were told why).`;
    default:
      return undefined;
  }
}
