import { fail, int, str, type WebApiMethod } from './method-kit.js';
import type { Json } from '../types.js';

/**
 * The two-call upload Slack requires since files.upload was retired: get an upload URL, POST the
 * bytes there (handled by the server, see `receiveUpload`), then complete to share it.
 */
export const fileMethods: Record<string, WebApiMethod> = {
  'files.getUploadURLExternal': (args, { ws, baseUrl }) => {
    const filename = str(args, 'filename');
    const length = int(args, 'length', -1);
    if (!filename || length < 0) return fail('invalid_arguments');
    const id = ws.nextId('F');
    ws.files.set(id, { id, filename, length, completed: false });
    return { ok: true, upload_url: `${baseUrl}upload/${id}`, file_id: id };
  },

  'files.completeUploadExternal': (args, { ws }) => {
    if (!Array.isArray(args.files) || args.files.length === 0) return fail('invalid_arguments');
    const entries = args.files as Json[];
    const files = entries.map((e) => ws.files.get(String(e.id)));
    if (files.some((f) => !f || !f.content)) return fail('file_not_found');
    const channelArg = str(args, 'channel_id') ?? str(args, 'channels')?.split(',')[0];
    const channel = channelArg ? ws.resolveChannel(channelArg) : undefined;
    if (channelArg && !channel) return fail('channel_not_found');
    const threadTs = str(args, 'thread_ts') || undefined;
    const comment = str(args, 'initial_comment');
    const shared = files.map((f, i) => {
      const file = f!;
      const title = entries[i]?.title;
      Object.assign(file, {
        completed: true,
        title: typeof title === 'string' ? title : file.filename,
        channel: channel?.id,
        thread_ts: threadTs,
        initial_comment: comment,
      });
      return { id: file.id, name: file.filename, title: file.title, size: file.content?.length ?? 0 };
    });
    // Sharing a file into a conversation shows up there as a message carrying the files.
    if (channel) ws.post(channel.id, { text: comment ?? '', files: shared, thread_ts: threadTs });
    return { ok: true, files: shared };
  },
};
