import type { WebClient } from '@slack/web-api';
import { allRecords, type Run } from '../../engine/index.js';
import { escapeMrkdwn } from '../../format.js';
import type { Logger } from '../../log.js';
import type { DmPrefs } from './dm-prefs.js';

/**
 * When a run asks for approval, each person who may give it (never the requester) who has not
 * turned DMs off gets a DM with the card's link (conversations.open, chat.getPermalink). A DM
 * that cannot be sent is logged: the card in the channel still asks.
 */
export function approverDms(deps: {
  client: WebClient;
  prefs: DmPrefs;
  approverIds: (run: Run) => Promise<string[]>;
  log: Logger;
}): (run: Run, step: string) => Promise<void> {
  return async (run, step) => {
    const msg = run.message;
    if (!msg) return;
    const title = allRecords(run).find((s) => s.id === step)?.title ?? step;
    const ids = (await deps.approverIds(run)).filter((u) => u !== run.requester);
    const link = await deps.client.chat
      .getPermalink({ channel: msg.channel, message_ts: msg.ts })
      .then((r) => r.permalink)
      .catch(() => undefined);
    const text =
      `:raising_hand: <@${run.requester}> asks for your approval of *${escapeMrkdwn(title)}*: ` +
      `${link ? `<${link}|${escapeMrkdwn(run.summary)}>` : escapeMrkdwn(run.summary)}. ` +
      'Approve or deny on the card. (Turn these DMs off on the bot’s Home tab.)';
    for (const user of ids) {
      if (!(await deps.prefs.wantsDm(user))) continue;
      try {
        const dm = (await deps.client.conversations.open({ users: user })).channel?.id;
        if (dm) await deps.client.chat.postMessage({ channel: dm, text });
      } catch (err) {
        deps.log.warn({ err: (err as Error).message, user, run: run.id }, 'approval DM not sent');
      }
    }
  };
}
