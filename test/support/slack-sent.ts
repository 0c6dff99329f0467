import { expect } from 'vitest';
import type { FakeSlack } from '../../src/sim/slack/web-api-server.js';

/** Slack's live syntax a hostile source would slip in: a ping of everyone, a user, a disguised link. */
export const LIVE = ['<!channel>', '<@U0EVE>', '<https://evil.example'];
/** The payload each untrusted source carries in these tests. */
export const EVIL = '<!channel> <@U0EVE> <https://evil.example|click> &<>';

/**
 * Every payload the bot sent to the Slack stand-in (chat.postMessage, chat.update, chat.postEphemeral,
 * file uploads and response_url posts): its top-level text and every text field of its blocks, as sent.
 */
export function everythingSent(slack: FakeSlack): string[] {
  const calls = ['chat.postMessage', 'chat.update', 'chat.postEphemeral', 'files.completeUploadExternal'].flatMap((m) =>
    slack.callsTo(m).map((c) => JSON.stringify(c.args)),
  );
  return [...calls, ...slack.responses.map((r) => JSON.stringify({ text: r.text, blocks: r.blocks }))];
}

/** Nothing the bot sent carries the payload's live syntax (and it did send something). */
export function expectNothingLive(slack: FakeSlack): void {
  const sent = everythingSent(slack);
  expect(sent.length).toBeGreaterThan(0);
  for (const payload of sent) for (const live of LIVE) expect(payload).not.toContain(live);
}
