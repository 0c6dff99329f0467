import { describe, expect, test } from 'vitest';
import type { Run, StepRecord } from '../../src/engine/types.js';
import { runCard } from '../../src/slack/views/run-card.js';
import { mrkdwnToText } from '../../src/sim/slack/index.js';

const T0 = Date.UTC(2026, 11, 1, 12, 0, 0);
const MIN = 60_000;

function record(over: Partial<StepRecord>): StepRecord {
  return {
    id: 's',
    title: 'Wait while ES moves the shards of the node',
    destructive: false,
    status: 'pending',
    attempts: 0,
    state: {},
    ...over,
  };
}
function run(status: Run['status'], step: StepRecord): Run {
  return {
    id: 'r1',
    runbook: 'toy.card', // no card details of its own: only the engine's lines
    params: {},
    requester: 'U0ALICE',
    channel: 'C1',
    createdAt: T0,
    status,
    summary: 'Drain node-3',
    cursor: step.id,
    phase: 'forward',
    steps: [step],
    undoSteps: [],
    approvals: [],
    outputs: {},
    updatedAt: T0,
  };
}
const text = (r: Run, now: number) =>
  runCard(r, { now })
    .blocks.map((b) => JSON.stringify(b))
    .join('\n');
const buttons = (r: Run) =>
  runCard(r, { now: T0 })
    .blocks.flatMap((b) =>
      b.type === 'actions' ? (b as { elements: { text: { text: string }; action_id: string }[] }).elements : [],
    )
    .map((e) => `${e.text.text}:${e.action_id}`);

/** The card says what I5 promises: when a pause is due and past due, and a step past its budget. */
describe('run card: deadlines and the choices of a paused step', () => {
  test('a paused step shows since when it waits and its deadline; overdue is said loud', () => {
    const pause = {
      prompt: 'node-3 is stopped: perform your changes, then press Done.',
      action: 'done' as const,
      at: T0,
      deadlineAt: T0 + 120 * MIN,
    };
    const waiting = run('paused', record({ status: 'running', pause }));
    // Times in each reader's zone (Slack's <!date>), UTC in the fallback.
    expect(text(waiting, T0 + 5 * MIN)).toContain(
      `waiting since <!date^${T0 / 1000}^{date_short_pretty} {time}|2026-12-01 12:00 UTC>; ` +
        `deadline <!date^${(T0 + 120 * MIN) / 1000}^{date_short_pretty} {time}|2026-12-01 14:00 UTC>`,
    );
    expect(text(waiting, T0 + 5 * MIN)).not.toContain('Overdue');
    const late = run('paused', record({ status: 'running', pause: { ...pause, overdueSince: T0 + 120 * MIN } }));
    expect(mrkdwnToText(text(late, T0 + 130 * MIN))).toContain('Overdue');
    expect(text(late, T0 + 130 * MIN)).toContain(
      `deadline was <!date^${(T0 + 120 * MIN) / 1000}^{date_short_pretty} {time}|2026-12-01 14:00 UTC>`,
    );
  });

  test('a pause with its own label and Cancel and revert offers exactly those buttons', () => {
    const pause = { prompt: 'stalled', action: 'confirm' as const, at: T0, label: 'Keep waiting', offerRevert: true };
    expect(buttons(run('paused', record({ status: 'running', pause })))).toEqual([
      'Keep waiting:run_resume',
      'Cancel and revert:run_cancel_revert',
      'Cancel:run_cancel',
    ]);
    const plain = { prompt: 'do it', action: 'done' as const, at: T0 };
    expect(buttons(run('paused', record({ status: 'running', pause: plain })))).toEqual([
      'Done:run_resume',
      'Cancel:run_cancel',
    ]);
  });

  test('a step past its budget shows the watchdog alarm while it runs', () => {
    const over = record({ status: 'running', startedAt: T0, budgetMs: 30 * MIN, overdue: { at: T0 + 31 * MIN } });
    const card = text(run('running', over), T0 + 40 * MIN);
    expect(card).toContain('Overdue');
    expect(card).toContain('past its budget of 30m');
    const fine = record({ status: 'running', startedAt: T0, budgetMs: 30 * MIN });
    expect(text(run('running', fine), T0 + 10 * MIN)).not.toContain('Overdue');
  });
});
