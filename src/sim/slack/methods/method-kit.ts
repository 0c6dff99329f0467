import { checkBlocks, type MAX_BLOCKS } from '../block-limits.js';
import type { SlackWorkspace, MessageContent } from '../workspace.js';
import type { Json, StoredMessage } from '../types.js';

/** What every Web API method gets besides its arguments. */
export interface MethodContext {
  ws: SlackWorkspace;
  /** http://host:port/ of the fake, for URLs it hands out (upload URLs). */
  baseUrl: string;
}

export type MethodResult = Json & { ok: boolean };
export type WebApiMethod = (args: Json, ctx: MethodContext) => MethodResult;

export const fail = (error: string, extra: Json = {}): MethodResult => ({ ok: false, error, ...extra });

/** Form values arrive as strings; JSON bodies carry real types. Both are accepted. */
export function str(args: Json, key: string): string | undefined {
  const v = args[key];
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return String(v);
  return undefined;
}

export function bool(args: Json, key: string): boolean {
  const v = args[key];
  return v === true || v === 'true' || v === '1' || v === 1;
}

export function int(args: Json, key: string, fallback: number): number {
  const n = Number.parseInt(str(args, key) ?? '', 10);
  return Number.isFinite(n) ? n : fallback;
}

// Slack truncates or refuses beyond this; 4,000 is its advice, 40,000 the hard stop.
const MAX_TEXT = 40_000;

/**
 * Message content of chat.postMessage / chat.update / chat.postEphemeral, validated like Slack:
 * blocks must be well-formed and within limits; some text, blocks or attachments must be present.
 */
export function messageContent(
  args: Json,
  surface: keyof typeof MAX_BLOCKS = 'message',
): { content: MessageContent } | { error: MethodResult } {
  const content: MessageContent = { text: str(args, 'text') ?? '' };
  if (args.blocks !== undefined && args.blocks !== '') {
    const verdict = checkBlocks(args.blocks, surface);
    if (!verdict.ok) {
      return {
        error: fail(verdict.error, {
          errors: verdict.errors,
          response_metadata: { messages: verdict.errors.map((e) => `[ERROR] ${e}`) },
        }),
      };
    }
    content.blocks = verdict.blocks;
  }
  if (args.attachments !== undefined && args.attachments !== '') {
    if (!Array.isArray(args.attachments)) return { error: fail('invalid_attachments') };
    content.attachments = args.attachments as Json[];
  }
  if (args.metadata && typeof args.metadata === 'object') content.metadata = args.metadata as Json;
  if (content.text.length > MAX_TEXT) return { error: fail('msg_too_long') };
  return { content };
}

export function hasContent(c: MessageContent): boolean {
  return Boolean(c.text) || Boolean(c.blocks?.length) || Boolean(c.attachments?.length);
}

/** A message as the Web API returns it: the conversation is implied, so no `channel` field. */
export function apiMessage(m: StoredMessage): Json {
  const { channel: _channel, ...rest } = m;
  return rest;
}

/** Opaque pagination cursor (Slack's are base64 too); here it simply carries an offset. */
export function page<T>(
  items: T[],
  args: Json,
  defaultLimit = 100,
): { items: T[]; has_more: boolean; next_cursor: string } {
  const limit = Math.max(1, Math.min(999, int(args, 'limit', defaultLimit)));
  const cursor = str(args, 'cursor');
  const offset = cursor
    ? Number(
        Buffer.from(cursor, 'base64')
          .toString('utf8')
          .replace(/^offset:/, ''),
      ) || 0
    : 0;
  const slice = items.slice(offset, offset + limit);
  const more = offset + limit < items.length;
  return {
    items: slice,
    has_more: more,
    next_cursor: more ? Buffer.from(`offset:${offset + limit}`).toString('base64') : '',
  };
}
