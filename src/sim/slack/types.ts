/**
 * Shapes the fake Slack workspace stores and reports. They mirror what Slack's Web API returns
 * (snake_case fields, string timestamps) so that tests can compare them with what the bot sent.
 */

/** Loose JSON object: Block Kit and payloads are deliberately not re-typed here. */
export type Json = Record<string, unknown>;

/** A message as `conversations.history` would show it now (after every update). */
export interface StoredMessage {
  type: 'message';
  subtype?: string;
  channel: string;
  ts: string;
  /** The author: the bot's user id for bot posts, the person for simulated user posts. */
  user: string;
  bot_id?: string;
  text: string;
  blocks?: Json[];
  attachments?: Json[];
  metadata?: Json;
  /** Set on replies, and on a parent once it has replies (then equal to its own ts). */
  thread_ts?: string;
  reply_count?: number;
  reply_users?: string[];
  latest_reply?: string;
  edited?: { user: string; ts: string };
  files?: Json[];
}

/** An ephemeral message: seen by one user only, never in history, cannot be updated by the bot. */
export interface StoredEphemeral {
  channel: string;
  user: string;
  ts: string;
  text: string;
  blocks?: Json[];
  thread_ts?: string;
  /** How it arrived: a chat.postEphemeral call or a response_url post. */
  via: 'chat.postEphemeral' | 'response_url';
}

/** One Web API call as the fake received it, faults included (retries show up as repeats). */
export interface RecordedCall {
  method: string;
  /** Arguments with JSON-string fields (blocks, attachments, view, files, metadata) parsed. */
  args: Json;
  token: string | undefined;
  at: number;
  /** Set when the call was answered by an injected fault instead of the method. */
  fault?: Fault;
  /** Answered 429 because it was over Slack's rate limit (FakeSlack.enforceRateLimits). */
  rateLimited?: boolean;
}

/** Where a response_url leads: the conversation, the person, and the message clicked (if any). */
export interface ResponseUrlSource {
  channel: string;
  user: string;
  /** Present when the response URL came from an interaction on a message. */
  message_ts?: string;
}

/** One post to a response_url. */
export interface RecordedResponse {
  id: string;
  source: ResponseUrlSource;
  text?: string;
  blocks?: Json[];
  response_type?: 'in_channel' | 'ephemeral';
  replace_original?: boolean;
  delete_original?: boolean;
  thread_ts?: string;
  at: number;
}

export interface StoredFile {
  id: string;
  filename: string;
  title?: string;
  length?: number;
  /** The bytes posted to the upload URL (undefined until uploaded). */
  content?: Buffer;
  /** Set by files.completeUploadExternal. */
  channel?: string;
  thread_ts?: string;
  initial_comment?: string;
  completed: boolean;
}

export interface StoredView {
  id: string;
  team_id: string;
  type: string;
  callback_id?: string;
  external_id?: string;
  private_metadata?: string;
  title?: Json;
  blocks: Json[];
  hash: string;
  trigger_id?: string;
  state: { values: Json };
  /** A Home tab's person (views.publish's user_id); modals have none. */
  user_id?: string;
}

/** A fault to answer instead of the real method: an HTTP 429/500, or an `ok:false` error body. */
export type Fault = { status: 429; retryAfter: number } | { status: 500 } | { error: string };

/** Events the fake emits so that a terminal or browser console can render Slack live. */
export interface FakeSlackEvents {
  message: [StoredMessage];
  update: [StoredMessage];
  delete: [StoredMessage];
  ephemeral: [StoredEphemeral];
  response: [RecordedResponse];
  view: [StoredView];
}
