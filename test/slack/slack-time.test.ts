import { describe, expect, test } from 'vitest';
import type { Run, StepRecord } from '../../src/engine/types.js';
import { runCard } from '../../src/slack/views/run-card.js';
import { slackTime } from '../../src/slack/views/slack-time.js';
import { mrkdwnToText } from '../../src/sim/slack/index.js';
// The console page's own modules (plain browser ESM, no build step).
import { mrkdwn } from '../../src/sim/console/static/mrkdwn.js';
import { formatSlackDate } from '../../src/sim/console/static/slack-date.js';

const T0 = Date.UTC(2026, 11, 1, 15, 4, 0); // Tue 1 Dec 2026, 15:04 UTC
const S0 = T0 / 1000;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

function run(over: Partial<Run>): Run {
  const step: StepRecord = {
    id: 'write',
    title: 'Move shards off the node',
    destructive: true,
    status: 'pending',
    attempts: 0,
    state: {},
  };
  return {
    id: 'r1',
    runbook: 'toy.card',
    params: {},
    requester: 'U0ALICE',
    channel: 'C1',
    createdAt: T0,
    status: 'awaiting_approval',
    summary: 'Drain node-3',
    cursor: 'write',
    phase: 'forward',
    steps: [step],
    undoSteps: [],
    approvals: [],
    outputs: {},
    updatedAt: T0,
    ...over,
  };
}
const cardText = (r: Run) => JSON.stringify(runCard(r, { now: T0 }).blocks);

describe("times on cards and in threads are Slack dates: each reader's zone, UTC fallback (issue 19.4)", () => {
  test('one helper: <!date^UNIX^{date_short_pretty} {time}|ISO UTC>', () => {
    expect(slackTime(T0)).toBe(`<!date^${S0}^{date_short_pretty} {time}|2026-12-01 15:04 UTC>`);
    expect(slackTime(T0 + 499, '{time}')).toBe(`<!date^${S0}^{time}|2026-12-01 15:04 UTC>`);
  });

  test('the card: approval expiry, requested, approved, ended and the Revert offer expiry', () => {
    const waiting = run({ pendingApproval: { step: 'write', requestedAt: T0, expiresAt: T0 + 0.5 * HOUR } });
    expect(cardText(waiting)).toContain(`(expires ${slackTime(T0 + 0.5 * HOUR)})`);
    expect(cardText(waiting)).toContain(`requested by <@U0ALICE> ${slackTime(T0)}`);
    const cancelled = run({
      status: 'cancelled',
      approvals: [{ by: 'U0BOB', at: T0 + 60_000, step: 'write' }],
      endedAt: T0 + 2 * HOUR,
      undoOffer: { undoable: ['write'], expiresAt: T0 + 7 * DAY },
    });
    const text = cardText(cancelled);
    expect(text).toContain(`approved by <@U0BOB> ${slackTime(T0 + 60_000)}`);
    expect(text).toContain(`ended ${slackTime(T0 + 2 * HOUR)}`);
    // A 7-day offer: the reader sees the date ("Dec 8, 2026 15:04"), not a bare time of day.
    expect(text).toContain(`Revert open until ${slackTime(T0 + 7 * DAY)}`);
    const decided = run({
      status: 'cancelled',
      undoOffer: { undoable: ['write'], expiresAt: T0 + DAY, decided: { by: 'U0BOB', at: T0, choice: 'keep' } },
    });
    expect(cardText(decided)).not.toContain('Revert open until');
    expect(text).not.toMatch(/\d\d:\d\d:\d\d UTC/);
  });

  test('the console shows a date as Slack does: the reader zone, today/yesterday/tomorrow, else the date', () => {
    const fmt = '{date_short_pretty} {time}';
    const tokyo = { now: T0, timeZone: 'Asia/Tokyo' }; // 00:04 on Dec 2 there
    const la = { now: T0, timeZone: 'America/Los_Angeles' }; // 07:04 on Dec 1
    expect(formatSlackDate(S0, fmt, tokyo)).toBe('today 00:04');
    expect(formatSlackDate(S0, fmt, la)).toBe('today 07:04');
    expect(formatSlackDate(S0 - 16 * 3600, fmt, la)).toBe('yesterday 15:04');
    expect(formatSlackDate(S0 + 18 * 3600, fmt, la)).toBe('tomorrow 01:04');
    expect(formatSlackDate(S0 + 7 * 86_400, fmt, la)).toBe('Dec 8, 2026 07:04');
    expect(formatSlackDate(S0, '{date_long} at {time_secs}', la)).toBe('Tuesday, December 1st, 2026 at 07:04:00');
    expect(formatSlackDate(S0, '{date_num}', tokyo)).toBe('2026-12-02');
    // A format Slack does not know: the fallback text is shown.
    expect(formatSlackDate(S0, '{weekday}', la)).toBeUndefined();
  });

  test('the console page renders the token, with the UTC fallback on hover; the terminal shows the fallback', () => {
    const line = `done ${slackTime(T0)}`;
    const html = mrkdwn(line, { userName: (id: string) => id });
    expect(html).toMatch(/^done <time title="2026-12-01 15:04 UTC">[^<]*\d\d:\d\d<\/time>$/);
    expect(html).not.toContain('!date');
    expect(mrkdwnToText(line)).toBe('done 2026-12-01 15:04 UTC');
  });
});
