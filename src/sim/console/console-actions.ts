import type { FakeSlack, SlackDriver } from '../slack/index.js';
import type { Actor } from '../slack/index.js';
import type { Json, StoredMessage } from '../slack/types.js';
import type { ConsoleFeed } from './console-feed.js';

/** A person the console can act as. */
export interface ConsoleUser {
  name: string;
  id: string;
  /** What they do in this workspace, shown in the user switcher ("requests", "approves"). */
  role?: string;
}

/** What the page is told after an action: ok, or one line to show the person. */
export type ActionOutcome =
  { ok: true } | { ok: false; status: number; error: string; errors?: Record<string, string> };

export interface ClickRequest {
  ts: string;
  action_id: string;
  block_id?: string;
  value?: string;
  ephemeral?: boolean;
}
export interface SubmitRequest {
  view_id: string;
  values: Record<string, Record<string, string>>;
}

/**
 * The page's user actions turned into what Slack would send the bot: signed slash commands,
 * block_actions and view_submission payloads, through the SlackDriver to the bot's real receiver.
 * Nothing here decides anything the bot decides.
 */
export class ConsoleActions {
  constructor(
    private readonly slack: FakeSlack,
    private readonly driver: SlackDriver,
    private readonly feed: ConsoleFeed,
    private readonly channel: { id: string; name: string },
    private readonly users: ConsoleUser[],
  ) {}

  actor(userName: string): Actor | undefined {
    const u = this.users.find((x) => x.name === userName);
    return u && { user_id: u.id, user_name: u.name, channel_id: this.channel.id, channel_name: this.channel.name };
  }

  async command(userName: string, line: string): Promise<ActionOutcome> {
    const who = this.actor(userName);
    if (!who) return { ok: false, status: 400, error: `unknown user ${userName}` };
    const text = line.trim();
    const match = /^(\/[a-z][\w-]*)(?:\s+([\s\S]*))?$/i.exec(text);
    if (!match)
      return { ok: false, status: 400, error: 'Only slash commands reach the bot here: try /es help or /ops help.' };
    const [, cmd, args = ''] = match;
    this.feed.echo(userName, text);
    // A command's trigger_id opens a modal too (the node picker), on the screen of who typed it.
    this.feed.clickedBy(userName);
    const res = await this.driver.command(cmd!, args.trim(), who);
    // What Slack itself shows when the app did not answer with a 2xx.
    if (res.status !== 200)
      return { ok: false, status: 502, error: `${cmd} failed with the error "dispatch_failed" (HTTP ${res.status})` };
    this.showAckMessage(userName, res.json);
    return { ok: true };
  }

  async click(userName: string, req: ClickRequest): Promise<ActionOutcome> {
    const who = this.actor(userName);
    if (!who) return { ok: false, status: 400, error: `unknown user ${userName}` };
    const target = req.ephemeral ? this.ephemeral(who.user_id, req.ts) : this.message(req.ts);
    if (!target) return { ok: false, status: 404, error: 'That message is gone.' };
    this.feed.clickedBy(userName);
    try {
      const res = await this.driver.click(
        {
          action_id: req.action_id,
          ...(req.block_id ? { block_id: req.block_id } : {}),
          ...(req.value !== undefined ? { value: req.value } : {}),
        },
        who,
        {
          channel: this.channel.id,
          ts: target.ts,
          text: target.text,
          blocks: target.blocks ?? [],
          ...(target.thread_ts && target.thread_ts !== target.ts ? { thread_ts: target.thread_ts } : {}),
          ...(req.ephemeral ? { is_ephemeral: true } : {}),
        },
      );
      if (res.status !== 200) return { ok: false, status: 502, error: `The app did not respond (HTTP ${res.status}).` };
      this.showAckMessage(userName, res.json);
      return { ok: true };
    } catch (err) {
      // The card changed under the pointer (an update removed the button): Slack would refuse it too.
      return { ok: false, status: 409, error: `That button is no longer on the message (${(err as Error).message}).` };
    }
  }

  /** The person opens the app's Home tab: Slack tells the bot (app_home_opened), which publishes it. */
  async openHome(userName: string): Promise<ActionOutcome> {
    const who = this.actor(userName);
    if (!who) return { ok: false, status: 400, error: `unknown user ${userName}` };
    const res = await this.driver.event({
      type: 'app_home_opened',
      user: who.user_id,
      tab: 'home',
      channel: dmOf(who),
    });
    if (res.status !== 200) return { ok: false, status: 502, error: `The app did not respond (HTTP ${res.status}).` };
    return { ok: true };
  }

  /** A button on the person's Home tab, sent with the view as its container. */
  async clickHome(userName: string, action: { action_id: string; block_id?: string }): Promise<ActionOutcome> {
    const who = this.actor(userName);
    if (!who) return { ok: false, status: 400, error: `unknown user ${userName}` };
    const home = this.slack.home(who.user_id);
    if (!home) return { ok: false, status: 404, error: 'Your Home tab is not drawn yet: open it again.' };
    this.feed.clickedBy(userName);
    try {
      const res = await this.driver.clickInView(action, who, home);
      if (res.status !== 200) return { ok: false, status: 502, error: `The app did not respond (HTTP ${res.status}).` };
      return { ok: true };
    } catch (err) {
      return {
        ok: false,
        status: 409,
        error: `That button is no longer on your Home tab (${(err as Error).message}).`,
      };
    }
  }

  async submitView(userName: string, req: SubmitRequest): Promise<ActionOutcome> {
    const who = this.actor(userName);
    if (!who) return { ok: false, status: 400, error: `unknown user ${userName}` };
    const open = this.feed.openView(req.view_id);
    if (!open) return { ok: false, status: 404, error: 'That dialog is closed.' };
    const { view } = open;
    const state: Json = {};
    for (const block of view.blocks) {
      const element = block.element as Json | undefined;
      const blockId = typeof block.block_id === 'string' ? block.block_id : undefined;
      const actionId = typeof element?.action_id === 'string' ? element.action_id : undefined;
      if (block.type !== 'input' || !blockId || !actionId) continue;
      const value = req.values[blockId]?.[actionId];
      state[blockId] = { [actionId]: inputState(element!, value) };
    }
    const title = (view.title as { text?: string } | undefined)?.text;
    const res = await this.driver.submitView(
      {
        id: view.id,
        callback_id: view.callback_id ?? '',
        state,
        blocks: view.blocks,
        ...(view.private_metadata !== undefined ? { private_metadata: view.private_metadata } : {}),
        ...(title ? { title } : {}),
      },
      who,
    );
    if (res.status !== 200) return { ok: false, status: 502, error: `The app did not respond (HTTP ${res.status}).` };
    const ack = res.json as { response_action?: string; errors?: Record<string, string> } | undefined;
    // response_action "errors" keeps the modal open with a message under each named input.
    if (ack?.response_action === 'errors')
      return { ok: false, status: 422, error: 'Please fix the highlighted fields.', errors: ack.errors ?? {} };
    this.feed.closeView(view.id);
    return { ok: true };
  }

  closeView(viewId: string): ActionOutcome {
    return this.feed.closeView(viewId) ? { ok: true } : { ok: false, status: 404, error: 'That dialog is closed.' };
  }

  /** A top-level message or a thread reply of the channel, as it is now. */
  private message(ts: string): StoredMessage | undefined {
    const top = this.slack.messages(this.channel.id);
    const found = top.find((m) => m.ts === ts);
    if (found) return found;
    for (const parent of top.filter((m) => m.reply_count)) {
      const reply = this.slack.thread(this.channel.id, parent.ts).find((m) => m.ts === ts);
      if (reply) return reply;
    }
    return undefined;
  }

  private ephemeral(user: string, ts: string) {
    return this.slack.ephemerals(this.channel.id, user).find((e) => e.ts === ts);
  }

  private showAckMessage(userName: string, body: unknown): void {
    const b = body as { text?: unknown; blocks?: unknown } | undefined;
    if (!b || (typeof b.text !== 'string' && !Array.isArray(b.blocks))) return;
    this.feed.ackMessage(
      this.actor(userName)!.user_id,
      typeof b.text === 'string' ? b.text : '',
      Array.isArray(b.blocks) ? b.blocks : undefined,
    );
  }
}

/** The person's DM with the app (Slack names the app's conversation in app_home_opened). */
function dmOf(who: Actor): string {
  return `D0${who.user_id.replace(/^U0?/, '')}`;
}

/** One input's state as Slack sends it: a text's `value`, a static_select's `selected_option`. */
function inputState(element: Json, value: string | undefined): Json {
  const empty = value === '' || value === undefined;
  if (element.type !== 'static_select') return { type: element.type, value: empty ? null : value };
  const options = (element.options ?? []) as { value?: string }[];
  const chosen = empty ? undefined : options.find((o) => o.value === value);
  return { type: 'static_select', selected_option: chosen ?? null };
}
