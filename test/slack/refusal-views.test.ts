import { describe, expect, test } from 'vitest';
import { RunLockedError } from '../../src/engine/index.js';
import type { Run } from '../../src/engine/types.js';
import { problemView, refusalView } from '../../src/slack/views/error-view.js';
import { lockedRefusalView } from '../../src/slack/views/refusals.js';

/** What a hostile cluster or member would slip in: a ping of everyone, a disguised link, a mention. */
const EVIL = '<!channel> <https://evil.example|click> <@U0EVE>';

const holder = (summary: string, requester = 'U0ALICE'): Run => ({
  id: 'r-0123456789ab',
  runbook: 'es.drain',
  params: {},
  requester,
  channel: 'C0OPS',
  cluster: 'prod',
  createdAt: 0,
  updatedAt: 0,
  status: 'running',
  summary,
  phase: 'forward',
  steps: [],
  undoSteps: [],
  approvals: [],
  outputs: {},
});

const raw = (m: { text: string; blocks?: unknown }) => JSON.stringify({ text: m.text, blocks: m.blocks });

describe("refusals speak in the bot's words, with the untrusted parts literal", () => {
  test('a lock refusal mentions who holds it and shows the run summary as typed', () => {
    const view = lockedRefusalView(new RunLockedError('es-allocation:uuid-1', holder(`Drain ${EVIL}`), 'token-1'));
    const all = raw(view);
    // The requester is a mention (a Slack user id), not the literal "&lt;@U0ALICE&gt;".
    expect(all).toContain('requested by <@U0ALICE>');
    expect(all).not.toContain('&lt;@U0ALICE&gt;');
    // The summary's syntax reaches Slack made literal, in the blocks and in the fallback text.
    expect(all).not.toContain('<!channel>');
    expect(all).not.toContain('<https://evil.example');
    expect(all).not.toContain('<@U0EVE>');
    expect(view.text).toContain('&lt;!channel&gt;');
    expect(view.text).toContain('the allocation lock of prod is held by run r-0123456789ab');
  });

  test('a requester that is not a Slack user id is shown, never turned into syntax', () => {
    const view = lockedRefusalView(new RunLockedError('activedata-frontend', holder('Deploy', '!channel')));
    expect(raw(view)).not.toContain('<!channel>');
    expect(view.text).toContain('requested by !channel');
  });

  test('problem and refusal views escape their fallback text as well as their blocks', () => {
    for (const view of [
      problemView(`cluster said ${EVIL}`, `then ${EVIL}`),
      refusalView({ ok: false, what: `refused ${EVIL}`, reasons: [`because ${EVIL}`], next: `do ${EVIL}` }),
    ]) {
      const all = raw(view);
      expect(all).not.toContain('<!channel>');
      expect(all).not.toContain('<@U0EVE>');
      expect(view.text).toContain('&lt;!channel&gt;');
    }
  });
});
