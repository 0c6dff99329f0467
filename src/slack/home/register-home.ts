import type { App, BlockButtonAction } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import type { Engine, Run } from '../../engine/index.js';
import type { Logger } from '../../log.js';
import type { AccessPolicy } from '../access-policy.js';
import { HOME_DM_TOGGLE, homeView } from '../views/home-view.js';
import type { DmPrefs } from './dm-prefs.js';
import { homeRuns } from './home-runs.js';

/** Links to the runs' cards (chat.getPermalink, one call a card shown); a card Slack cannot find has none. */
async function permalinks(client: WebClient, runs: Run[]): Promise<Map<string, string>> {
  const links = new Map<string, string>();
  const unique = [...new Map(runs.map((r) => [r.id, r])).values()];
  await Promise.all(
    unique.map(async (run) => {
      if (!run.message) return;
      try {
        const r = await client.chat.getPermalink({ channel: run.message.channel, message_ts: run.message.ts });
        if (r.permalink) links.set(run.id, r.permalink);
      } catch {
        // A deleted card or a channel the bot left: the line shows without a link.
      }
    }),
  );
  return links;
}

/**
 * The App Home tab: drawn afresh for the person each time they open it (app_home_opened), from
 * the engine's runs, and published to them alone (views.publish).
 */
export function registerHome(
  app: App,
  deps: { engine: Engine; access: AccessPolicy; log: Logger; dmPrefs?: DmPrefs },
): void {
  const publish = async (client: WebClient, user: string) => {
    const runs = await homeRuns(deps.engine, deps.access, user);
    const links = await permalinks(client, [...runs.awaitingMe, ...runs.mine, ...runs.active]);
    const dm = deps.dmPrefs ? await deps.dmPrefs.wantsDm(user) : undefined;
    await client.views.publish({ user_id: user, view: homeView(runs, links, dm) });
    deps.log.debug({ user, active: runs.active.length }, 'home tab published');
  };
  app.event('app_home_opened', async ({ event, client }) => {
    if (event.tab === 'home') await publish(client, event.user);
  });
  // The switch: its value is the state asked for; the tab is drawn again to show it.
  app.action<BlockButtonAction>(HOME_DM_TOGGLE, async ({ ack, body, action, client }) => {
    await ack();
    if (!deps.dmPrefs) return;
    await deps.dmPrefs.setDm(body.user.id, action.value === 'on');
    await publish(client, body.user.id);
  });
}
