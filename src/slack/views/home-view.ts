import type { Run } from '../../engine/types.js';
import { duration, escapeMrkdwn } from '../../format.js';
import type { HomeRuns } from '../home/home-runs.js';
import { context, divider, header, section, type Block } from './blocks.js';

/** Action id of the Home tab's DM switch; its value is the state it asks for ('on' or 'off'). */
export const HOME_DM_TOGGLE = 'home_dm_toggle';

/** The switch of the approval DMs, saying how it is now. */
function dmSwitch(on: boolean): Block {
  return {
    type: 'section',
    text: {
      type: 'mrkdwn',
      text: on
        ? 'When your approval is asked, you get a DM with a link to the card.'
        : 'You get no DM when your approval is asked (the card in the channel still asks).',
    },
    accessory: {
      type: 'button',
      action_id: HOME_DM_TOGGLE,
      value: on ? 'off' : 'on',
      text: { type: 'plain_text', text: on ? 'Turn approval DMs off' : 'Turn approval DMs on' },
    },
  };
}

/** A Home tab (views.publish's view). */
export interface HomeView {
  type: 'home';
  blocks: Block[];
}

/** One run on a line: its card's link, state, progress, cluster, age. */
function runLine(run: Run, link: string | undefined, now: number): string {
  const summary = escapeMrkdwn(run.summary).replace(/\|/g, '¦');
  const title = link ? `<${link}|${summary}>` : summary;
  const step = run.steps.find((s) => s.id === run.cursor);
  const progress = step?.progress?.text ? ` · ${escapeMrkdwn(step.progress.text)}` : '';
  const where = run.cluster ? ` · ${escapeMrkdwn(run.cluster)}` : '';
  const paused = run.hold?.since !== undefined ? ' (paused)' : '';
  return (
    `*${run.status.replace('_', ' ')}*${paused} · ${title}${where}${progress}` +
    ` · <@${run.requester}> · ${duration(now - run.createdAt)} ago · \`${run.id}\``
  );
}

function list(title: string, runs: Run[], links: Map<string, string>, now: number, empty: string): Block[] {
  const lines = runs.map((r) => `• ${runLine(r, links.get(r.id), now)}`);
  return [section(`*${title}*`), section(lines.length ? lines.join('\n') : `_${empty}_`)];
}

/**
 * The person's Home tab: approvals waiting for them first (what they can act on), then their own
 * runs, then every active run across clusters with its state and progress; each links to its card.
 */
export function homeView(runs: HomeRuns, links: Map<string, string>, dm?: boolean, now = Date.now()): HomeView {
  return {
    type: 'home',
    blocks: [
      header('opsbot'),
      ...list('Waiting for your approval', runs.awaitingMe, links, now, 'Nothing waits for you.'),
      divider(),
      ...list('Your runs', runs.mine, links, now, 'You have not asked for a run yet.'),
      divider(),
      ...list('Active runs', runs.active, links, now, 'No run is active.'),
      divider(),
      ...(dm === undefined ? [] : [dmSwitch(dm)]),
      context('/ops help lists every command · /ops jobs the recent runs'),
    ],
  };
}
