import { findButton, listButtons } from './find-button.js';
import { renderBlocksAsText } from './render-text.js';
import type { StoredEphemeral, StoredMessage } from './types.js';
import type { FakeSlack } from './web-api-server.js';

/** What Slack shows of a message or an ephemeral: its blocks, and the text it falls back to. */
export type ShownMessage = Pick<StoredMessage, 'text' | 'blocks'>;

/** The part of the Slack stand-in a view reads: what it recorded, as it is now. */
export type RecordedSlack = Pick<FakeSlack, 'messages' | 'thread' | 'ephemerals'>;

/**
 * One conversation of the Slack stand-in, read the way a person in it reads it: the cards at the
 * top level with their buttons, the replies in their threads, and what one user was shown alone.
 * Every read is of the stand-in's state now (copies, with updates and deletes applied). A view
 * never waits: a test that must wait for something polls a view with its own poller.
 */
export class ChannelView {
  constructor(
    readonly slack: RecordedSlack,
    readonly channel: string,
  ) {}

  /** Top-level messages (and broadcast replies), oldest first. */
  messages(): StoredMessage[] {
    return this.slack.messages(this.channel);
  }

  /** The top-level message with this ts, as it is now (after every update). */
  card(ts: string): StoredMessage | undefined {
    return this.messages().find((m) => m.ts === ts);
  }

  /** The newest top-level message that offers a button with this action_id. */
  cardWithButton(actionId: string): StoredMessage | undefined {
    return [...this.messages()].reverse().find((m) => this.hasButton(m, actionId));
  }

  /** The newest top-level message whose text, as Slack renders it, contains `needle`. */
  messageWith(needle: string): StoredMessage | undefined {
    return [...this.messages()].reverse().find((m) => this.text(m).includes(needle));
  }

  /** Whether the message offers a button with this action_id (in an actions block or as an accessory). */
  hasButton(m: ShownMessage, actionId: string): boolean {
    return findButton(m.blocks, actionId) !== undefined;
  }

  /** The action_ids of the message's buttons, in reading order. */
  buttons(m: ShownMessage): string[] {
    return listButtons(m.blocks).map((b) => b.button.action_id);
  }

  /** The message as text: its blocks rendered, or its fallback text when it has none. */
  text(m: ShownMessage): string {
    return renderBlocksAsText(m.blocks ?? [], m.text);
  }

  /** The rendered text of every top-level message, oldest first. */
  texts(): string[] {
    return this.messages().map((m) => this.text(m));
  }

  /** The replies in the thread of the message `ts`, oldest first, without the parent. */
  thread(ts: string): StoredMessage[] {
    return this.slack.thread(this.channel, ts);
  }

  /** The `text` of each reply in the thread of the message `ts`, oldest first. */
  threadTexts(ts: string): string[] {
    return this.thread(ts).map((m) => m.text);
  }

  /** Ephemerals in this conversation, oldest first: the ones `user` saw, or everyone's. */
  ephemerals(user?: string): StoredEphemeral[] {
    return this.slack.ephemerals(this.channel, user);
  }

  /** The `text` of each ephemeral `user` saw here (everyone's when no user is given), oldest first. */
  ephemeralTexts(user?: string): string[] {
    return this.ephemerals(user).map((e) => e.text);
  }
}
