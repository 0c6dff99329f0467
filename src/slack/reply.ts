import type { RespondFn } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import type { SlackMessage } from './views/blocks.js';

/** Where a command's answers go: the channel for everyone, or the requester alone. */
export interface Reply {
  /** Posts in the channel; returns the message ts (the thread of a run). */
  toChannel(msg: SlackMessage): Promise<{ channel: string; ts?: string }>;
  /** Only the requester sees it (usage errors, refusals, problems). */
  toRequester(msg: SlackMessage): Promise<void>;
  /**
   * Shares a text file as a snippet in a thread (files.uploadV2: getUploadURLExternal, the bytes,
   * completeUploadExternal). False when Slack refused it: the caller then shows a bounded excerpt.
   */
  snippetInThread(thread: { channel: string; ts: string }, file: Snippet): Promise<boolean>;
  /**
   * Shares a text file with one person alone, in their DM with the bot (conversations.open, then
   * the upload): what may hold secrets never goes into a channel. False when Slack refused it.
   */
  snippetByDm(user: string, file: Snippet): Promise<boolean>;
}

export interface Snippet {
  filename: string;
  title: string;
  content: string;
  comment?: string;
}

/**
 * chat.postMessage where the bot is in the channel (it gives us a ts to thread under and update);
 * the slash command's response_url otherwise, which works in any channel the command came from.
 */
export function replyFor(client: WebClient, respond: RespondFn, channel: string): Reply {
  return {
    async toChannel(msg) {
      try {
        const r = await client.chat.postMessage({ channel, text: msg.text, blocks: msg.blocks });
        return { channel: r.channel ?? channel, ts: r.ts };
      } catch (err) {
        const code = (err as { data?: { error?: string } }).data?.error;
        if (code !== 'not_in_channel' && code !== 'channel_not_found') throw err;
        await respond({ response_type: 'in_channel', text: msg.text, blocks: msg.blocks });
        return { channel };
      }
    },
    async toRequester(msg) {
      await respond({ response_type: 'ephemeral', text: msg.text, blocks: msg.blocks });
    },
    snippetInThread: (thread, file) => upload(client, file, thread.channel, thread.ts),
    async snippetByDm(user, file) {
      try {
        const dm = (await client.conversations.open({ users: user })).channel?.id;
        return dm !== undefined && (await upload(client, file, dm));
      } catch {
        return false;
      }
    },
  };
}

async function upload(client: WebClient, file: Snippet, channel: string, threadTs?: string): Promise<boolean> {
  try {
    const what = {
      content: file.content,
      filename: file.filename,
      title: file.title,
      snippet_type: 'text',
      ...(file.comment ? { initial_comment: file.comment } : {}),
    };
    await client.files.uploadV2(
      threadTs ? { ...what, channel_id: channel, thread_ts: threadTs } : { ...what, channel_id: channel },
    );
    return true;
  } catch {
    return false;
  }
}
