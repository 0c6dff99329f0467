import { describe, expect, test } from 'vitest';
import type { Run, StepRecord } from '../../src/engine/types.js';
import { renderBlocksAsText } from '../../src/sim/slack/render-text.js';
import { listButtons } from '../../src/sim/slack/index.js';
import { runCard } from '../../src/slack/views/run-card.js';

const step = (id: string, status: StepRecord['status'], extra: Partial<StepRecord> = {}): StepRecord => ({
  id,
  title: `Step ${id}`,
  destructive: false,
  status,
  attempts: 1,
  state: {},
  ...extra,
});

function run(over: Partial<Run>): Run {
  return {
    id: 'r-000000000001',
    runbook: 'toy.card', // no card details of its own: the buttons and status line alone
    params: {},
    requester: 'U0ALICE',
    channel: 'C0OPS',
    createdAt: 0,
    status: 'running',
    summary: 'Drain node-3',
    phase: 'forward',
    steps: [],
    undoSteps: [],
    approvals: [],
    outputs: {},
    updatedAt: 0,
    command: { slash: '/es', text: 'drain node-3' },
    ...over,
  };
}
const buttons = (r: Run) => listButtons(runCard(r, { now: 1000 }).blocks).map((b) => b.button.action_id);

/** Which of Pause, Resume, Retry step and Re-run a card offers, by the run's state (issue 19.2). */
describe('run card: pause, retry and re-run buttons', () => {
  test('running: Pause beside Cancel; pausing: no second Pause, the status line says so', () => {
    expect(buttons(run({ steps: [step('a', 'running')], cursor: 'a' }))).toEqual(['run_pause', 'run_cancel']);
    const pausing = run({ steps: [step('a', 'running')], cursor: 'a', hold: { by: 'U0BOB', at: 0 } });
    expect(buttons(pausing)).toEqual(['run_cancel']);
    expect(renderBlocksAsText(runCard(pausing).blocks, '')).toContain('Pausing at the next safe point');
  });

  test('paused: Resume and Cancel, and what the estate is left in (escaped)', () => {
    const paused = run({
      status: 'paused',
      steps: [step('a', 'done'), step('b', 'running')],
      cursor: 'b',
      hold: { by: 'U0BOB', at: 0, since: 500, step: 'b', estate: ['Step a: exclude._ip = <!channel>'] },
    });
    expect(buttons(paused)).toEqual(['run_resume_paused', 'run_cancel']);
    const text = JSON.stringify(runCard(paused).blocks);
    expect(text).toContain('exclude._ip = &lt;!channel&gt;');
  });

  test('failed at a step safe to repeat: Retry step and Re-run; at one that is not: Re-run alone', () => {
    const failedAt = (retryable: boolean) =>
      run({ status: 'failed', steps: [step('a', 'done'), step('b', 'failed', { retryable }), step('c', 'skipped')] });
    expect(buttons(failedAt(true))).toEqual(['run_retry_step', 'run_rerun']);
    expect(buttons(failedAt(false))).toEqual(['run_rerun']);
    // A run that does not know its command (created before runs kept it) offers no Re-run.
    expect(buttons({ ...failedAt(false), command: undefined })).toEqual([]);
    expect(buttons(run({ status: 'expired' }))).toEqual(['run_rerun']);
    expect(buttons(run({ status: 'succeeded' }))).toEqual([]);
  });
});
