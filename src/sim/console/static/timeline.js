// The channel and the thread pane: one element per message, kept in order and redrawn only when
// the message (or who is looking) changed, so a live card's updates do not reset the page.
import { renderBlocks } from './blocks.js';
import { escapeHtml } from './mrkdwn.js';

const COLORS = ['#e8912d', '#1d9bd1', '#2eb67d', '#e01e5a', '#4a154b', '#7c3085', '#0b4c8c'];

export function avatar(name, isBot) {
  const node = document.createElement('div');
  node.className = `avatar${isBot ? ' bot' : ''}`;
  if (isBot) node.textContent = '⚙';
  else {
    node.textContent = (name[0] ?? '?').toUpperCase();
    node.style.background = COLORS[[...name].reduce((a, c) => a + c.charCodeAt(0), 0) % COLORS.length];
  }
  return node;
}

function clock(ms) {
  return new Date(ms).toLocaleTimeString([], { hour: 'numeric', minute: '2-digit' });
}

/**
 * One message as Slack draws it: avatar, name (APP badge for the bot), time, blocks or text,
 * files, and the "N replies" line that opens its thread.
 * @param {object} item a stored message, ephemeral, echoed command or local notice
 * @param {object} view { ctx (BlockContext for this message), userName(id), botId, onOpenThread(ts) }
 */
export function messageElement(item, view) {
  const node = document.createElement('div');
  node.className = 'msg';
  node.dataset.ts = item.ts ?? item.key;
  const isBot =
    item.kind !== 'echo' &&
    (item.bot_id || item.user === view.botId || item.kind === 'ephemeral' || item.kind === 'notice');
  const author = item.kind === 'notice' ? 'Slackbot' : isBot ? 'opsbot' : view.userName(item.user);
  node.append(avatar(author, isBot));
  const main = document.createElement('div');
  main.className = 'msg-main';
  if (item.kind === 'ephemeral' || item.kind === 'notice') {
    node.classList.add('ephemeral');
    if (item.kind === 'notice') node.classList.add('error');
    const only = document.createElement('div');
    only.className = 'only-you';
    only.innerHTML = '👁 Only visible to you';
    main.append(only);
  }
  const head = document.createElement('div');
  head.className = 'msg-head';
  head.innerHTML = `<span class="author">${escapeHtml(author)}</span>${isBot ? '<span class="app-badge">APP</span>' : ''}<span class="time">${clock(item.seenAt ?? item.at ?? Date.now())}</span>`;
  main.append(head);
  if (item.kind === 'echo') {
    const cmd = document.createElement('div');
    cmd.className = 'cmd-text';
    cmd.textContent = item.text;
    main.append(cmd);
  } else {
    main.append(renderBlocks(item.blocks, item.text, view.ctx));
  }
  for (const f of item.files ?? []) {
    const chip = document.createElement('a');
    chip.className = 'file-chip';
    chip.href = `/api/files/${encodeURIComponent(f.id)}`;
    chip.target = '_blank';
    chip.innerHTML = `📄 <b>${escapeHtml(f.title ?? f.name ?? f.id)}</b> <span class="muted">${escapeHtml(String(f.size ?? ''))} bytes</span>`;
    main.append(chip);
  }
  if (item.reply_count && view.onOpenThread) main.append(threadSummary(item, view));
  node.append(main);
  return node;
}

function threadSummary(item, view) {
  const b = document.createElement('button');
  b.type = 'button';
  b.className = 'thread-summary';
  for (const u of (item.reply_users ?? []).slice(0, 3)) {
    const isBot = u === view.botId;
    b.append(avatar(isBot ? 'opsbot' : view.userName(u), isBot));
  }
  const count = document.createElement('span');
  count.className = 'count';
  count.textContent = `${item.reply_count} ${item.reply_count === 1 ? 'reply' : 'replies'}`;
  b.append(count);
  const last = document.createElement('span');
  last.className = 'muted';
  last.textContent = 'View thread';
  b.append(last);
  b.addEventListener('click', () => view.onOpenThread(item.ts));
  return b;
}

/**
 * Keeps `container`'s children equal to `items` (sorted by `key`), reusing the element of an
 * item whose `signature` did not change. Keeps the view pinned to the bottom if it was there.
 */
export function syncList(container, items, make) {
  const pinned = container.scrollHeight - container.scrollTop - container.clientHeight < 40;
  const old = new Map([...container.children].map((c) => [c.dataset.key, c]));
  const wanted = [];
  for (const it of items) {
    let node = old.get(it.key);
    if (!node || node.dataset.sig !== it.sig) {
      node = make(it.item);
      node.dataset.key = it.key;
      node.dataset.sig = it.sig;
    }
    wanted.push(node);
  }
  wanted.forEach((node, i) => {
    if (container.children[i] !== node) container.insertBefore(node, container.children[i] ?? null);
  });
  while (container.children.length > wanted.length) container.lastElementChild.remove();
  if (pinned) container.scrollTop = container.scrollHeight;
}
