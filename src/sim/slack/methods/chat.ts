import { apiMessage, bool, fail, hasContent, messageContent, str, type WebApiMethod } from './method-kit.js';

/** chat.*: the methods the bot posts, edits and removes its messages with. */
export const chatMethods: Record<string, WebApiMethod> = {
  'chat.postMessage': (args, { ws }) => {
    const channel = ws.resolveChannel(str(args, 'channel'));
    if (!channel) return fail('channel_not_found');
    const parsed = messageContent(args);
    if ('error' in parsed) return parsed.error;
    if (!hasContent(parsed.content)) return fail('no_text');
    const threadTs = str(args, 'thread_ts') || undefined;
    const message = ws.post(channel.id, {
      ...parsed.content,
      thread_ts: threadTs,
      reply_broadcast: bool(args, 'reply_broadcast'),
    });
    return { ok: true, channel: channel.id, ts: message.ts, message: apiMessage(message) };
  },

  'chat.update': (args, { ws }) => {
    const channel = ws.resolveChannel(str(args, 'channel'));
    if (!channel) return fail('channel_not_found');
    const ts = str(args, 'ts');
    const existing = ws.find(channel.id, ts);
    if (!existing || !ts) return fail('message_not_found');
    if (existing.user !== ws.identity.botUserId) return fail('cant_update_message');
    const parsed = messageContent(args);
    if ('error' in parsed) return parsed.error;
    const { content } = parsed;
    // Blocks and attachments the call leaves out are kept, so "no text at all" means all three absent.
    if (
      !hasContent({
        ...content,
        blocks: content.blocks ?? existing.blocks,
        attachments: content.attachments ?? existing.attachments,
      })
    ) {
      return fail('no_text');
    }
    const updated = ws.update(channel.id, ts, content);
    if (!updated) return fail('message_not_found');
    return { ok: true, channel: channel.id, ts, text: updated.text, message: apiMessage(updated) };
  },

  'chat.postEphemeral': (args, { ws }) => {
    const channel = ws.resolveChannel(str(args, 'channel'));
    if (!channel) return fail('channel_not_found');
    const user = ws.resolveUser(str(args, 'user'));
    if (!user) return fail('user_not_in_channel');
    const parsed = messageContent(args);
    if ('error' in parsed) return parsed.error;
    if (!hasContent(parsed.content)) return fail('no_text');
    const e = ws.postEphemeral({
      channel: channel.id,
      user: user.id,
      text: parsed.content.text ?? '',
      blocks: parsed.content.blocks,
      thread_ts: str(args, 'thread_ts') || undefined,
      via: 'chat.postEphemeral',
    });
    return { ok: true, message_ts: e.ts };
  },

  'chat.delete': (args, { ws }) => {
    const channel = ws.resolveChannel(str(args, 'channel'));
    if (!channel) return fail('channel_not_found');
    const ts = str(args, 'ts');
    const existing = ws.find(channel.id, ts);
    if (!existing || !ts) return fail('message_not_found');
    if (existing.user !== ws.identity.botUserId) return fail('cant_delete_message');
    ws.remove(channel.id, ts);
    return { ok: true, channel: channel.id, ts };
  },

  'chat.getPermalink': (args, { ws }) => {
    const channel = ws.resolveChannel(str(args, 'channel'));
    if (!channel) return fail('channel_not_found');
    const ts = str(args, 'message_ts');
    const message = ws.find(channel.id, ts);
    if (!message || !ts) return fail('message_not_found');
    let permalink = `https://${ws.identity.teamDomain}.slack.com/archives/${channel.id}/p${ts.replace('.', '')}`;
    if (message.thread_ts && message.thread_ts !== ts) permalink += `?thread_ts=${message.thread_ts}&cid=${channel.id}`;
    return { ok: true, channel: channel.id, permalink };
  },
};
