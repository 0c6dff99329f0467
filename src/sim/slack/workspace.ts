import type { FakeSlackEvents, Json, StoredEphemeral, StoredFile, StoredMessage, StoredView } from './types.js';

export interface WorkspaceIdentity {
  teamId: string;
  teamDomain: string;
  botUserId: string;
  botId: string;
}

export interface ChannelInfo {
  id: string;
  name: string;
  is_private: boolean;
  is_im: boolean;
  /** For a DM: the person on the other side. */
  user?: string;
  created: number;
  /** A Slack Connect channel, shared with another organisation. */
  is_ext_shared?: boolean;
}

export interface UserInfo {
  id: string;
  name: string;
  real_name: string;
  is_bot: boolean;
  tz?: string;
  email?: string;
  /** A multi-channel guest. */
  is_restricted?: boolean;
  /** A single-channel guest. */
  is_ultra_restricted?: boolean;
}

export type ChannelOptions = { is_private?: boolean; is_ext_shared?: boolean };

export type MessageContent = Pick<StoredMessage, 'text' | 'blocks' | 'attachments' | 'metadata' | 'files'>;

type Emit = <K extends keyof FakeSlackEvents>(event: K, ...args: FakeSlackEvents[K]) => void;

// Conversation and user ids look like this in Slack; anything else (a name, a typo) is "not found".
const CONVERSATION_ID = /^[CGD][A-Z0-9]{2,}$/;
const USER_ID = /^[UW][A-Z0-9]{2,}$/;

/**
 * The in-memory state of one fake Slack workspace: conversations, messages with their threads,
 * ephemerals, users, user groups, modals and files. It knows nothing of HTTP; the Web API methods
 * and response URLs act on it, and it tells listeners about every visible change.
 */
export class SlackWorkspace {
  readonly users = new Map<string, UserInfo>();
  readonly usergroups = new Map<string, string[]>();
  readonly views = new Map<string, StoredView>();
  /** Each person's App Home tab as the bot last published it (views.publish), by user id. */
  readonly homes = new Map<string, StoredView>();
  readonly files = new Map<string, StoredFile>();
  private readonly channels = new Map<string, ChannelInfo>();
  /** Per conversation, every message (top level and replies) in ts order. */
  private readonly history = new Map<string, StoredMessage[]>();
  private readonly ephemeralList: StoredEphemeral[] = [];
  /** Never reset: a ts handed out before reset() must not be handed out again. */
  private seq = 0;
  private idSeq = 0;

  constructor(
    readonly identity: WorkspaceIdentity,
    private readonly emit: Emit,
  ) {
    this.addBotUser();
  }

  /** Unique, increasing message timestamps in Slack's "seconds.micros" form. */
  nextTs(): string {
    this.seq += 100;
    const seconds = 1_700_000_000 + Math.floor(this.seq / 1_000_000);
    return `${seconds}.${String(this.seq % 1_000_000).padStart(6, '0')}`;
  }

  /** Slack-looking object ids: F… for files, V… for views. */
  nextId(prefix: string): string {
    this.idSeq += 1;
    return `${prefix}${String(this.idSeq).padStart(9, '0')}`;
  }

  addChannel(id: string, name: string, opts: ChannelOptions = {}): ChannelInfo {
    const info: ChannelInfo = {
      id,
      name,
      is_private: opts.is_private ?? id.startsWith('G'),
      is_im: id.startsWith('D'),
      created: 1_700_000_000,
      ...(opts.is_ext_shared ? { is_ext_shared: true } : {}),
    };
    this.channels.set(id, info);
    return info;
  }

  /**
   * The conversation a `channel` argument names. Any well-formed conversation id exists (the bot is
   * taken to be a member everywhere); a user id means the DM with that user, as in chat.postMessage.
   */
  resolveChannel(idOrName: string | undefined): ChannelInfo | undefined {
    if (!idOrName) return undefined;
    const known = this.channels.get(idOrName);
    if (known) return known;
    const name = idOrName.replace(/^#/, '');
    for (const c of this.channels.values()) if (c.name === name) return c;
    if (CONVERSATION_ID.test(idOrName)) return this.addChannel(idOrName, idOrName.toLowerCase());
    if (USER_ID.test(idOrName)) {
      const dm = this.addChannel(`D${idOrName.slice(1)}`, idOrName.toLowerCase());
      dm.user = idOrName;
      return dm;
    }
    return undefined;
  }

  resolveUser(id: string | undefined): UserInfo | undefined {
    if (!id) return undefined;
    const known = this.users.get(id);
    if (known) return known;
    if (!USER_ID.test(id)) return undefined;
    return { id, name: id.toLowerCase(), real_name: `User ${id}`, is_bot: false };
  }

  /** Posts a message (a reply when thread_ts names a message); returns the stored copy. */
  post(
    channel: string,
    content: MessageContent & { thread_ts?: string; reply_broadcast?: boolean },
    user = this.identity.botUserId,
  ): StoredMessage {
    const ts = this.nextTs();
    const message: StoredMessage = { type: 'message', channel, ts, user, text: content.text ?? '' };
    if (user === this.identity.botUserId) message.bot_id = this.identity.botId;
    assignContent(message, content);
    if (content.thread_ts) {
      const parent = this.find(channel, content.thread_ts);
      // A reply to a reply lands in the parent's thread, as Slack does.
      const threadTs = parent?.thread_ts ?? content.thread_ts;
      message.thread_ts = threadTs;
      if (content.reply_broadcast) message.subtype = 'thread_broadcast';
      const root = this.find(channel, threadTs);
      if (root) {
        root.thread_ts = root.ts;
        root.reply_count = (root.reply_count ?? 0) + 1;
        root.reply_users = [...new Set([...(root.reply_users ?? []), user])];
        root.latest_reply = ts;
      }
    }
    this.messagesOf(channel).push(message);
    this.emit('message', clone(message));
    return clone(message);
  }

  find(channel: string, ts: string | undefined): StoredMessage | undefined {
    return this.history.get(channel)?.find((m) => m.ts === ts);
  }

  /** Applies chat.update semantics: text replaced; blocks/attachments kept unless given. */
  update(
    channel: string,
    ts: string,
    content: MessageContent,
    editor = this.identity.botUserId,
  ): StoredMessage | undefined {
    const message = this.find(channel, ts);
    if (!message) return undefined;
    message.text = content.text ?? '';
    assignContent(message, content);
    message.edited = { user: editor, ts: this.nextTs() };
    this.emit('update', clone(message));
    return clone(message);
  }

  remove(channel: string, ts: string): StoredMessage | undefined {
    const list = this.history.get(channel);
    const index = list?.findIndex((m) => m.ts === ts) ?? -1;
    if (!list || index < 0) return undefined;
    const [removed] = list.splice(index, 1);
    if (!removed) return undefined;
    this.emit('delete', clone(removed));
    return clone(removed);
  }

  /** Top-level messages (and broadcast replies) of a conversation, oldest first. */
  topLevel(channel: string): StoredMessage[] {
    return (this.history.get(channel) ?? [])
      .filter((m) => !m.thread_ts || m.thread_ts === m.ts || m.subtype === 'thread_broadcast')
      .map(clone);
  }

  /** The replies in a thread, oldest first, without the parent. */
  replies(channel: string, threadTs: string): StoredMessage[] {
    return (this.history.get(channel) ?? []).filter((m) => m.thread_ts === threadTs && m.ts !== threadTs).map(clone);
  }

  postEphemeral(e: Omit<StoredEphemeral, 'ts'>): StoredEphemeral {
    const stored: StoredEphemeral = { ...e, ts: this.nextTs() };
    this.ephemeralList.push(stored);
    this.emit('ephemeral', clone(stored));
    return clone(stored);
  }

  ephemerals(channel: string, user?: string): StoredEphemeral[] {
    return this.ephemeralList
      .filter((e) => e.channel === channel && (user === undefined || e.user === user))
      .map(clone);
  }

  /** Tells listeners a modal was opened or changed (views live in `views`, kept by the methods). */
  emitView(view: StoredView): void {
    this.emit('view', clone(view));
  }

  /** Forgets everything but the bot itself; timestamps keep increasing. */
  reset(): void {
    this.channels.clear();
    this.history.clear();
    this.ephemeralList.length = 0;
    this.users.clear();
    this.usergroups.clear();
    this.views.clear();
    this.homes.clear();
    this.files.clear();
    this.addBotUser();
  }

  private messagesOf(channel: string): StoredMessage[] {
    let list = this.history.get(channel);
    if (!list) this.history.set(channel, (list = []));
    return list;
  }

  private addBotUser(): void {
    const { botUserId } = this.identity;
    this.users.set(botUserId, { id: botUserId, name: 'opsbot', real_name: 'opsbot', is_bot: true });
  }
}

function assignContent(message: StoredMessage, content: MessageContent): void {
  // An empty array removes blocks, as chat.update documents; absent means "keep".
  if (content.blocks !== undefined) {
    if (content.blocks.length) message.blocks = content.blocks;
    else delete message.blocks;
  }
  if (content.attachments !== undefined) message.attachments = content.attachments;
  if (content.metadata !== undefined) message.metadata = content.metadata;
  if (content.files !== undefined) message.files = content.files;
}

/** Callers get copies: a test holding a message must not see (or cause) later changes. */
export function clone<T>(value: T): T {
  return structuredClone(value);
}

export type { Json };
