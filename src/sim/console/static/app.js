// The console page: a Slack channel for local mode. What it shows comes from the Slack Web API
// stand-in (a snapshot, then live events); what its person does is posted to the console server,
// which signs it and sends it to the bot's real receiver, as Slack would.
import { confirmDialog, dismissConfirm, syncModal } from './dialogs.js';
import { avatar, messageElement, syncList } from './timeline.js';
import { startClusterPanel } from './cluster-panel.js';
import { renderHome } from './home-tab.js';

const state = {
  me: localStorage.getItem('opsbot-console-user') ?? 'alice',
  users: [],
  bot: { id: '' },
  channel: { id: '', name: 'ops' },
  messages: new Map(),
  ephemerals: [],
  echoes: [],
  notices: [],
  views: new Map(),
  homes: {},
  thread: null,
  /** What the main pane shows: the channel, or opsbot's Home tab. */
  page: 'channel',
};
const CHIPS = ['/es status', '/es help', '/ops jobs', '/es drain node-3'];

const $ = (id) => document.getElementById(id);
const meId = () => state.users.find((u) => u.name === state.me)?.id;
const userName = (id) => state.users.find((u) => u.id === id)?.name ?? (id === state.bot.id ? 'opsbot' : id);
const isTop = (m) => !m.thread_ts || m.thread_ts === m.ts || m.subtype === 'thread_broadcast';

async function post(path, body) {
  const res = await fetch(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ user: state.me, ...body }),
  });
  return res.json().catch(() => ({ ok: false, error: `HTTP ${res.status}` }));
}

/** A line from "Slackbot" to this person alone, as Slack shows a failed command. */
function notice(text) {
  const key = `${latestKey()}~n${state.notices.length}`;
  state.notices.push({ kind: 'notice', key, ts: key, user: meId(), text, at: Date.now() });
  render();
}

function latestKey() {
  const keys = [...state.messages.keys(), ...state.echoes.map((e) => e.key)].sort();
  return keys[keys.length - 1] ?? '0';
}

/** The BlockContext of one message: mentions by name, and its buttons (with confirm dialogs). */
function contextFor(item) {
  const ctx = {
    me: meId(),
    userName,
    async onButton(element, blockId) {
      if (element.confirm && !(await confirmDialog(element.confirm, ctx))) return;
      const r = await post('/api/click', {
        ts: item.ts,
        action_id: element.action_id,
        block_id: blockId,
        value: element.value,
        ephemeral: item.kind === 'ephemeral',
      });
      if (!r.ok) notice(r.error);
    },
  };
  return ctx;
}

function viewOf(item) {
  return {
    ctx: contextFor(item),
    userName,
    botId: state.bot.id,
    onOpenThread: item.kind === 'message' && isTop(item) ? openThread : undefined,
  };
}

/** What one person sees: every message, their own ephemerals and notices, the commands typed here. */
function visible(inThread) {
  const mine = (e) => e.user === meId();
  const where = (ts) => (inThread ? ts === state.thread : !ts);
  // Slack opens a channel with its introduction; it also sorts before everything else.
  const items = inThread ? [] : [{ kind: 'intro', key: '0' }];
  for (const m of state.messages.values()) {
    if (inThread ? m.thread_ts === state.thread && m.ts !== state.thread : isTop(m))
      items.push({ ...m, kind: 'message', key: m.ts });
  }
  for (const e of state.ephemerals)
    if (mine(e) && where(e.thread_ts)) items.push({ ...e, kind: 'ephemeral', key: e.ts });
  if (!inThread) {
    for (const e of state.echoes) items.push({ ...e, kind: 'echo', ts: e.key });
    for (const n of state.notices) if (mine(n)) items.push(n);
  }
  items.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return items.map((item) => ({
    key: item.key,
    sig: `${state.me}|${item.thread_ts === item.ts ? 'p' : ''}|${JSON.stringify(item)}`,
    item,
  }));
}

function render() {
  const onHome = state.page === 'home';
  $('home').hidden = !onHome;
  document.querySelector('main.channel:not(.home-tab)').hidden = onHome;
  $('home-link').classList.toggle('active', onHome);
  $('channel-link').classList.toggle('active', !onHome);
  if (onHome) renderHomeTab();
  const main = $('messages');
  const items = visible(false);
  syncList(main, items, (item) => (item.kind === 'intro' ? intro() : messageElement(item, viewOf(item))));
  for (const node of main.children) node.classList.toggle('selected', node.dataset.key === state.thread);
  renderThread();
  const myView = [...state.views.values()].find((v) => v.open && v.owner === state.me);
  syncModal(myView?.view, contextFor({}), submitView, closeView);
}

let drawnHome; // the Home view last drawn, to redraw only when the bot published a new one
function renderHomeTab() {
  const view = state.homes[meId()];
  const key = `${state.me}|${view?.hash}`;
  if (drawnHome === key) return;
  drawnHome = key;
  const ctx = {
    me: meId(),
    userName,
    async onButton(element, blockId) {
      if (element.confirm && !(await confirmDialog(element.confirm, ctx))) return;
      const r = await post('/api/home/click', { action_id: element.action_id, block_id: blockId });
      if (!r.ok) notice(r.error);
    },
  };
  renderHome($('home-body'), view, ctx, showMessage);
}

/** Opens the Home tab: Slack tells the bot, which draws it afresh for this person. */
async function openHome() {
  state.page = 'home';
  render();
  const r = await post('/api/home/open', {});
  if (!r.ok) notice(r.error);
}

/** Follows a card's permalink: back to the channel, the message in view (its thread open for a reply). */
function showMessage({ ts, thread }) {
  state.page = 'channel';
  if (thread) state.thread = thread;
  render();
  const node = $('messages').querySelector(`[data-key="${CSS.escape(thread ?? ts)}"]`);
  if (!node) return;
  node.scrollIntoView({ block: 'center' });
  node.classList.add('flash');
  setTimeout(() => node.classList.remove('flash'), 1500);
}

function intro() {
  const node = document.createElement('div');
  node.className = 'channel-intro';
  node.innerHTML =
    `<div class="intro-title"># ${state.channel.name}</div>` +
    '<div class="muted">This is the very beginning of the channel. opsbot is here: type <code>/es status</code> below, ' +
    'or <code>/es help</code> for every command. Requests need a second person: switch to bob or carol at the top right to approve.</div>';
  return node;
}

function renderThread() {
  const pane = $('thread');
  const parent = state.thread && state.messages.get(state.thread);
  pane.hidden = !parent;
  if (!parent) return;
  const body = $('thread-body');
  const replies = visible(true);
  const head = {
    key: `0-parent`,
    sig: `${state.me}|${JSON.stringify(parent)}`,
    item: { ...parent, kind: 'message', reply_count: 0 },
  };
  const count = replies.filter((r) => r.item.kind === 'message').length;
  const divider = { key: '0-divider', sig: String(count), item: { divider: count } };
  syncList(body, [head, divider, ...replies.map((r) => ({ ...r, key: `1-${r.key}` }))], (item) => {
    if (item.divider !== undefined) {
      const d = document.createElement('div');
      d.className = 'reply-divider';
      d.textContent = `${item.divider} ${item.divider === 1 ? 'reply' : 'replies'}`;
      return d;
    }
    return messageElement(item, { ...viewOf(item), onOpenThread: undefined });
  });
}

function openThread(ts) {
  state.thread = ts;
  render();
  $('thread-body').scrollTop = $('thread-body').scrollHeight;
}

async function submitView(viewId, values) {
  const r = await post('/api/views/submit', { view_id: viewId, values });
  return r;
}

async function closeView(viewId) {
  await post('/api/views/close', { view_id: viewId });
}

function renderUsers() {
  const host = $('users');
  host.replaceChildren();
  for (const u of state.users) {
    const b = document.createElement('button');
    b.type = 'button';
    b.className = 'user-btn';
    b.dataset.user = u.name;
    b.setAttribute('aria-pressed', String(u.name === state.me));
    b.append(avatar(u.name, false));
    b.insertAdjacentHTML('beforeend', `<span>${u.name}</span>${u.role ? `<span class="role">${u.role}</span>` : ''}`);
    b.addEventListener('click', () => {
      dismissConfirm();
      state.me = u.name;
      localStorage.setItem('opsbot-console-user', u.name);
      renderUsers();
      if (state.page === 'home') void openHome();
      else render();
    });
    host.append(b);
  }
  $('composer-hint').textContent =
    `You are ${state.me}. Commands are sent to opsbot as ${state.me} typed them in #${state.channel.name}.`;
}

function setupComposer() {
  const input = $('composer-input');
  for (const c of CHIPS) {
    const chip = document.createElement('button');
    chip.type = 'button';
    chip.className = 'chip';
    chip.textContent = c;
    chip.addEventListener('click', () => {
      input.value = c;
      input.focus();
    });
    $('chips').append(chip);
  }
  $('composer').addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const text = input.value.trim();
    if (!text) return;
    input.value = '';
    const r = await post('/api/command', { text });
    if (!r.ok) notice(r.error);
  });
  const activate = (id, fn) => {
    $(id).addEventListener('click', fn);
    $(id).addEventListener('keydown', (ev) => {
      if (ev.key === 'Enter' || ev.key === ' ') fn();
    });
  };
  activate('home-link', () => void openHome());
  activate('channel-link', () => {
    state.page = 'channel';
    render();
  });
  $('thread-close').addEventListener('click', () => {
    state.thread = null;
    render();
  });
}

function apply(snapshot) {
  Object.assign(state, { users: snapshot.users, bot: snapshot.bot, channel: snapshot.channel });
  if (!state.users.some((u) => u.name === state.me)) state.me = state.users[0]?.name ?? 'alice';
  state.messages = new Map(snapshot.messages.map((m) => [m.ts, m]));
  state.ephemerals = snapshot.ephemerals;
  state.echoes = snapshot.echoes;
  state.views = new Map(snapshot.views.map((v) => [v.view.id, v]));
  state.homes = snapshot.homes ?? {};
  $('workspace').textContent = snapshot.workspace;
  $('channel-name').textContent = `# ${snapshot.channel.name}`;
  $('channel-link').textContent = `# ${snapshot.channel.name}`;
  $('thread-channel').textContent = `# ${snapshot.channel.name}`;
  renderUsers();
  render();
}

async function connect() {
  try {
    apply(await (await fetch('/api/state')).json());
  } catch {
    setTimeout(connect, 2000); // local mode is restarting, or stopped: try again quietly
    return;
  }
  const events = new EventSource('/api/events');
  const on = (type, fn) =>
    events.addEventListener(type, (ev) => {
      fn(JSON.parse(ev.data));
      render();
    });
  on('message', (m) => state.messages.set(m.ts, m));
  on('update', (m) => state.messages.set(m.ts, m));
  on('delete', (m) => state.messages.delete(m.ts));
  on('ephemeral', (e) => state.ephemerals.push(e));
  on('echo', (e) => state.echoes.push(e));
  on('view', (v) => state.views.set(v.view.id, v));
  on('home', (v) => (state.homes[v.user_id] = v));
  // After a dropped stream, start again from a fresh snapshot: events missed meanwhile are in it.
  events.addEventListener('error', () => {
    events.close();
    setTimeout(connect, 1000);
  });
  document.body.dataset.ready = 'true';
}

setupComposer();
startClusterPanel();
void connect();
