import type { App } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import type { Engine, Run } from '../../engine/index.js';
import type { Logger } from '../../log.js';
import type { AccessPolicy } from '../access-policy.js';
import { homeView } from '../views/home-view.js';
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
export function registerHome(app: App, deps: { engine: Engine; access: AccessPolicy; log: Logger }): void {
  app.event('app_home_opened', async ({ event, client }) => {
    if (event.tab !== 'home') return;
    const runs = await homeRuns(deps.engine, deps.access, event.user);
    const links = await permalinks(client, [...runs.awaitingMe, ...runs.mine, ...runs.active]);
    await client.views.publish({ user_id: event.user, view: homeView(runs, links) });
    deps.log.debug({ user: event.user, active: runs.active.length }, 'home tab published');
  });
}
