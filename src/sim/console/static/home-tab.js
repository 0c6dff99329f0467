// The app's Home tab: the view the bot published for the person looking (views.publish), drawn
// with the same Block Kit renderer as messages. Links to cards are Slack permalinks; here they
// lead back to the message in the channel, as the Slack client does.
import { renderBlocks } from './blocks.js';

/** A Slack permalink's message: `…/archives/C123/p1700000000123456[?thread_ts=…]` → its channel and ts. */
export function permalinkTarget(href) {
  const m = /\/archives\/([A-Z0-9]+)\/p(\d{10})(\d{6})(?:\?thread_ts=([\d.]+))?/.exec(href ?? '');
  return m ? { channel: m[1], ts: `${m[2]}.${m[3]}`, thread: m[4] } : undefined;
}

/**
 * Draws `view` (undefined until the bot published one) into `container`. `ctx` is the blocks'
 * context (its onButton sends the click); `onPermalink` is called instead of following a card's link.
 */
export function renderHome(container, view, ctx, onPermalink) {
  if (!view) {
    container.innerHTML = '<div class="muted-note">Opening opsbot\u2019s Home tab…</div>';
    return;
  }
  const body = renderBlocks(view.blocks, '', ctx);
  body.addEventListener('click', (ev) => {
    const a = ev.target instanceof Element ? ev.target.closest('a') : null;
    const target = a && permalinkTarget(a.getAttribute('href'));
    if (!target) return;
    ev.preventDefault();
    onPermalink(target);
  });
  container.replaceChildren(body);
}
