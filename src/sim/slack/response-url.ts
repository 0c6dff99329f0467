import { randomBytes } from 'node:crypto';
import { checkBlocks } from './block-limits.js';
import type { SlackWorkspace } from './workspace.js';
import type { Json, RecordedResponse, ResponseUrlSource } from './types.js';

/** Slack lets an app use one response_url at most 5 times (within 30 minutes). */
export const RESPONSE_URL_MAX_USES = 5;

/**
 * The id at the end of a response URL. Slack's are opaque; ours carry where the interaction
 * happened (conversation, person, clicked message) so that the fake can apply a response without
 * the driver and the fake sharing memory, e.g. when they run in different processes.
 */
export function responseUrlId(source: ResponseUrlSource): string {
  const parts = [randomBytes(6).toString('hex'), source.channel, source.user];
  if (source.message_ts) parts.push(source.message_ts);
  return parts.join('_');
}

export function parseResponseUrlId(id: string): ResponseUrlSource | undefined {
  const [nonce, channel, user, messageTs] = id.split('_');
  if (!nonce || !channel || !user) return undefined;
  return messageTs ? { channel, user, message_ts: messageTs } : { channel, user };
}

export type ResponseOutcome = { ok: true; response: RecordedResponse } | { ok: false; status: number; error: string };

/** Records posts to response URLs and applies them to the workspace the way Slack does. */
export class ResponseUrls {
  readonly responses: RecordedResponse[] = [];
  private readonly uses = new Map<string, number>();

  constructor(private readonly ws: SlackWorkspace) {}

  handle(id: string, body: Json): ResponseOutcome {
    const source = parseResponseUrlId(id);
    if (!source) return { ok: false, status: 404, error: 'invalid_url' };
    const used = this.uses.get(id) ?? 0;
    if (used >= RESPONSE_URL_MAX_USES) return { ok: false, status: 404, error: 'used_url' };
    const text = typeof body.text === 'string' ? body.text : undefined;
    let blocks: Json[] | undefined;
    if (body.blocks !== undefined) {
      const verdict = checkBlocks(body.blocks);
      if (!verdict.ok) return { ok: false, status: 400, error: verdict.error };
      blocks = verdict.blocks;
    }
    const deleteOriginal = body.delete_original === true || body.delete_original === 'true';
    const replaceOriginal = body.replace_original === true || body.replace_original === 'true';
    if (!deleteOriginal && !text && !blocks?.length) return { ok: false, status: 400, error: 'no_text' };
    this.uses.set(id, used + 1);

    const response: RecordedResponse = {
      id,
      source,
      text,
      blocks,
      response_type:
        body.response_type === 'in_channel'
          ? 'in_channel'
          : body.response_type === 'ephemeral'
            ? 'ephemeral'
            : undefined,
      replace_original: replaceOriginal || undefined,
      delete_original: deleteOriginal || undefined,
      thread_ts: typeof body.thread_ts === 'string' ? body.thread_ts : undefined,
      at: Date.now(),
    };
    this.apply(response);
    this.responses.push(response);
    return { ok: true, response };
  }

  reset(): void {
    this.responses.length = 0;
    this.uses.clear();
  }

  private apply(r: RecordedResponse): void {
    const { channel, user, message_ts: messageTs } = r.source;
    const original = messageTs ? this.ws.find(channel, messageTs) : undefined;
    if (r.delete_original) {
      if (original) this.ws.remove(channel, original.ts);
    } else if (r.replace_original && original) {
      // Replacing means the whole message: blocks left out are gone.
      this.ws.update(channel, original.ts, { text: r.text ?? '', blocks: r.blocks ?? [] });
    } else if (r.response_type === 'in_channel') {
      this.ws.post(channel, { text: r.text ?? '', blocks: r.blocks, thread_ts: r.thread_ts });
    } else {
      // Ephemeral is the default for response URLs: only the person who acted sees it.
      this.ws.postEphemeral({
        channel,
        user,
        text: r.text ?? '',
        blocks: r.blocks,
        thread_ts: r.thread_ts,
        via: 'response_url',
      });
    }
  }
}
