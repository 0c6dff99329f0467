import type { ServerResponse } from 'node:http';
import type { FakeSlack } from '../slack/index.js';
import type { StoredEphemeral, StoredMessage, StoredView } from '../slack/types.js';

/** A slash command as the person typed it: the page shows it where Slack shows "used /es". */
export interface CommandEcho {
  /** Sorts right after the newest Slack item seen when it was sent (see `orderAfter`). */
  key: string;
  user: string;
  text: string;
  at: number;
}

/** A modal as the page needs it: the view, who it was opened for, whether it is still open. */
export interface ConsoleView {
  view: StoredView & { submit?: unknown; close?: unknown };
  owner: string | undefined;
  open: boolean;
}

/** Something Slack shows the clicker when the bot's ack carries a message (Slack renders it ephemerally). */
export type ConsoleEphemeral = StoredEphemeral | (Omit<StoredEphemeral, 'via'> & { via: 'ack' });

export type FeedEvent =
  | { type: 'message' | 'update' | 'delete'; item: StoredMessage & { seenAt: number } }
  | { type: 'ephemeral'; item: ConsoleEphemeral & { seenAt: number } }
  | { type: 'echo'; item: CommandEcho }
  | { type: 'view'; item: ConsoleView }
  | { type: 'home'; item: StoredView };

export interface FeedSnapshot {
  messages: Array<StoredMessage & { seenAt: number }>;
  ephemerals: Array<ConsoleEphemeral & { seenAt: number }>;
  echoes: CommandEcho[];
  views: ConsoleView[];
  /** Each person's App Home tab as the bot last published it, by user id. */
  homes: Record<string, StoredView>;
}

/**
 * What the console page sees of the Slack stand-in's channel, kept current from the fake's
 * events and pushed to every open page as Server-Sent Events. It adds only what a Slack client
 * itself knows: when each item arrived, the commands its user typed, and whose screen a modal
 * is on. Everything the bot said is read from FakeSlack, never re-derived here.
 */
export class ConsoleFeed {
  private readonly seenAt = new Map<string, number>();
  private readonly echoes: CommandEcho[] = [];
  private readonly ackEphemerals: Array<ConsoleEphemeral & { seenAt: number }> = [];
  private readonly viewState = new Map<string, { owner: string | undefined; open: boolean }>();
  private readonly clients = new Set<ServerResponse>();
  private latestTs = '0000000000.000000';
  private lastClicker: string | undefined;
  private readonly detach: () => void;

  constructor(
    private readonly slack: FakeSlack,
    readonly channel: string,
  ) {
    const onMessage = (m: StoredMessage) => this.onMessage(m);
    const onUpdate = (m: StoredMessage) => {
      if (m.channel === channel) this.publish({ type: 'update', item: this.stamp(m) });
    };
    const onDelete = (m: StoredMessage) => {
      if (m.channel === channel) this.publish({ type: 'delete', item: this.stamp(m) });
    };
    const onEphemeral = (e: StoredEphemeral) => {
      if (e.channel === channel) this.publish({ type: 'ephemeral', item: this.stamp(e) });
    };
    const onView = (v: StoredView) => this.onView(v);
    slack
      .on('message', onMessage)
      .on('update', onUpdate)
      .on('delete', onDelete)
      .on('ephemeral', onEphemeral)
      .on('view', onView);
    this.detach = () => {
      slack
        .off('message', onMessage)
        .off('update', onUpdate)
        .off('delete', onDelete)
        .off('ephemeral', onEphemeral)
        .off('view', onView);
    };
  }

  /** Everything a page needs when it (re)connects: the channel now, threads included. */
  snapshot(): FeedSnapshot {
    const top = this.slack.messages(this.channel);
    const replies = top.filter((m) => m.reply_count).flatMap((m) => this.slack.thread(this.channel, m.ts));
    const ephemerals = [...this.slack.ephemerals(this.channel).map((e) => this.stamp(e)), ...this.ackEphemerals].sort(
      (a, b) => a.ts.localeCompare(b.ts),
    );
    const views = this.slack.views().flatMap((view) => {
      const st = this.viewState.get(view.id);
      return st?.open ? [{ view: this.withButtons(view), ...st }] : [];
    });
    const homes: Record<string, StoredView> = {};
    for (const v of this.slack.views()) if (v.type === 'home' && v.user_id) homes[v.user_id] = v;
    return {
      messages: [...top, ...replies].map((m) => this.stamp(m)),
      ephemerals,
      echoes: [...this.echoes],
      views,
      homes,
    };
  }

  /** Records a command as typed, before it is sent, so that its answers sort after it. */
  echo(user: string, text: string): CommandEcho {
    const item: CommandEcho = { key: `${this.latestTs}~${this.echoes.length}`, user, text, at: Date.now() };
    this.echoes.push(item);
    this.publish({ type: 'echo', item });
    return item;
  }

  /** A message in the bot's ack (Slack shows it to the person who acted, and only to them). */
  ackMessage(user: string, text: string, blocks: unknown[] | undefined): void {
    const ts = `${this.latestTs}~ack${this.ackEphemerals.length}`;
    const item = {
      channel: this.channel,
      user,
      ts,
      text,
      via: 'ack' as const,
      seenAt: Date.now(),
      ...(blocks ? { blocks: blocks as StoredEphemeral['blocks'] } : {}),
    };
    this.ackEphemerals.push(item);
    this.publish({ type: 'ephemeral', item });
  }

  /**
   * Slack opens a modal on the screen of whoever pressed the button whose trigger_id the bot used.
   * The driver makes the trigger_id, so the console goes by the last person who clicked: in a
   * single-operator console that is who is looking.
   */
  clickedBy(user: string): void {
    this.lastClicker = user;
  }

  closeView(id: string): ConsoleView | undefined {
    const st = this.viewState.get(id);
    const view = this.slack.views().find((v) => v.id === id);
    if (!st || !view) return undefined;
    st.open = false;
    const item = { view: this.withButtons(view), ...st };
    this.publish({ type: 'view', item });
    return item;
  }

  openView(id: string): ConsoleView | undefined {
    const st = this.viewState.get(id);
    const view = this.slack.views().find((v) => v.id === id);
    return st?.open && view ? { view: this.withButtons(view), ...st } : undefined;
  }

  /** Streams feed events to one page until it disconnects. */
  subscribe(res: ServerResponse): void {
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
    res.write('retry: 1000\n\n');
    this.clients.add(res);
    // Proxies and browsers drop quiet streams: a comment now and then keeps it open.
    const keepAlive = setInterval(() => res.write(': keep-alive\n\n'), 15_000);
    res.on('close', () => {
      clearInterval(keepAlive);
      this.clients.delete(res);
    });
  }

  close(): void {
    this.detach();
    for (const res of this.clients) res.end();
    this.clients.clear();
  }

  private onMessage(m: StoredMessage): void {
    if (m.channel !== this.channel) return;
    this.publish({ type: 'message', item: this.stamp(m) });
    // Slack redraws the parent's "N replies" line when a reply lands; the fake emits no update for it.
    if (m.thread_ts && m.thread_ts !== m.ts) {
      const parent = this.slack.messages(this.channel).find((p) => p.ts === m.thread_ts);
      if (parent) this.publish({ type: 'update', item: this.stamp(parent) });
    }
  }

  private onView(v: StoredView): void {
    // A Home tab is no modal: it is the person's own page of the app, shown when they open it.
    if (v.type === 'home') {
      this.publish({ type: 'home', item: v });
      return;
    }
    const st = this.viewState.get(v.id) ?? { owner: this.lastClicker, open: true };
    this.viewState.set(v.id, st);
    this.publish({ type: 'view', item: { view: this.withButtons(v), ...st } });
  }

  /**
   * The stand-in stores a view without its submit and close labels ("Deny", "Back"); the page
   * needs them, so they are read from the views.open / views.update call that made the view.
   */
  private withButtons(view: StoredView): ConsoleView['view'] {
    const call = [...this.slack.calls]
      .reverse()
      .find(
        (c) =>
          !c.fault &&
          ((c.method === 'views.open' && view.trigger_id !== undefined && c.args.trigger_id === view.trigger_id) ||
            (c.method === 'views.update' && c.args.view_id === view.id)),
      );
    const sent = call?.args.view as { submit?: unknown; close?: unknown } | undefined;
    return { ...view, ...(sent?.submit ? { submit: sent.submit } : {}), ...(sent?.close ? { close: sent.close } : {}) };
  }

  private stamp<T extends { ts: string; edited?: { ts: string } }>(item: T): T & { seenAt: number } {
    let at = this.seenAt.get(item.ts);
    if (at === undefined) this.seenAt.set(item.ts, (at = Date.now()));
    for (const ts of [item.ts, item.edited?.ts]) if (ts && ts > this.latestTs && !ts.includes('~')) this.latestTs = ts;
    return { ...item, seenAt: at };
  }

  private publish(event: FeedEvent): void {
    const frame = `event: ${event.type}\ndata: ${JSON.stringify(event.item)}\n\n`;
    for (const res of this.clients) res.write(frame);
  }
}
