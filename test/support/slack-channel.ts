import type { Actor, ChannelView, SlackDriver } from '../../src/sim/slack/index.js';
import type { StoredMessage } from '../../src/sim/slack/types.js';

/**
 * Presses a button on a card as `who`, on the card as the channel shows it now (its buttons change
 * as the run moves on); fails unless the bot answered the click with HTTP 200.
 */
export async function clickOnCard(
  driver: SlackDriver,
  view: ChannelView,
  actionId: string,
  who: Actor,
  card: StoredMessage,
): Promise<void> {
  const fresh = view.card(card.ts) ?? card;
  const res = await driver.click({ action_id: actionId }, who, {
    channel: view.channel,
    ts: fresh.ts,
    blocks: fresh.blocks,
  });
  if (res.status !== 200) throw new Error(`click ${actionId} answered ${res.status}`);
}
