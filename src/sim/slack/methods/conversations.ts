import { apiMessage, bool, fail, page, str, type WebApiMethod } from './method-kit.js';
import type { StoredMessage } from '../types.js';

/** conversations.*: what the bot reads back (channel facts, history, a run's thread). */
export const conversationMethods: Record<string, WebApiMethod> = {
  'conversations.info': (args, { ws }) => {
    const c = ws.resolveChannel(str(args, 'channel'));
    if (!c) return fail('channel_not_found');
    return {
      ok: true,
      channel: {
        id: c.id,
        name: c.name,
        created: c.created,
        is_channel: !c.is_im && !c.is_private,
        is_group: c.is_private,
        is_im: c.is_im,
        is_private: c.is_private,
        is_archived: false,
        is_general: false,
        is_member: true,
        is_shared: c.is_ext_shared ?? false,
        is_ext_shared: c.is_ext_shared ?? false,
        ...(c.user ? { user: c.user } : {}),
      },
    };
  },

  /** The bot's DM with one person (`users`: one user id; group DMs are not modelled). */
  'conversations.open': (args, { ws }) => {
    const users = str(args, 'users')?.split(',') ?? [];
    if (users.length !== 1) return fail(users.length ? 'not_supported' : 'users_list_not_supplied');
    const user = ws.resolveUser(users[0]);
    if (!user) return fail('user_not_found');
    const dm = ws.resolveChannel(user.id)!;
    return { ok: true, channel: { id: dm.id, is_im: true, user: user.id } };
  },

  'conversations.history': (args, { ws }) => {
    const c = ws.resolveChannel(str(args, 'channel'));
    if (!c) return fail('channel_not_found');
    const newestFirst = inWindow(
      ws.topLevel(c.id),
      str(args, 'oldest'),
      str(args, 'latest'),
      bool(args, 'inclusive'),
    ).reverse();
    const p = page(newestFirst, args);
    return {
      ok: true,
      messages: p.items.map(apiMessage),
      has_more: p.has_more,
      response_metadata: { next_cursor: p.next_cursor },
    };
  },

  'conversations.replies': (args, { ws }) => {
    const c = ws.resolveChannel(str(args, 'channel'));
    if (!c) return fail('channel_not_found');
    const ts = str(args, 'ts');
    const parent = ts ? ws.find(c.id, ts) : undefined;
    if (!parent || !ts) return fail('thread_not_found');
    // Asked with a reply's ts, Slack answers with that reply's whole thread.
    const rootTs = parent.thread_ts ?? parent.ts;
    const root = ws.find(c.id, rootTs);
    const all = [...(root ? [root] : []), ...ws.replies(c.id, rootTs)];
    const p = page(inWindow(all, str(args, 'oldest'), str(args, 'latest'), bool(args, 'inclusive')), args, 1000);
    return {
      ok: true,
      messages: p.items.map(apiMessage),
      has_more: p.has_more,
      response_metadata: { next_cursor: p.next_cursor },
    };
  },
};

function inWindow(
  messages: StoredMessage[],
  oldest: string | undefined,
  latest: string | undefined,
  inclusive: boolean,
): StoredMessage[] {
  const lo = oldest ? Number(oldest) : -Infinity;
  const hi = latest ? Number(latest) : Infinity;
  return messages.filter((m) => {
    const t = Number(m.ts);
    return inclusive ? t >= lo && t <= hi : t > lo && t < hi;
  });
}
