import type { Run, RunEvent, RunReporter, StepRecord } from '../engine/types.js';
import { allRecords } from '../engine/index.js';
import type { BotMetrics } from './metrics.js';

/** Events that put a run in a state worth counting; the label is the state's name. */
const RUN_STATES: Partial<Record<RunEvent['type'], string>> = {
  created: 'created',
  succeeded: 'succeeded',
  failed: 'failed',
  denied: 'denied',
  expired: 'expired',
  cancelled: 'cancelled',
  reverted: 'reverted',
};

/** Approval events, named by the decision they record. */
const APPROVAL_DECISIONS: Partial<Record<RunEvent['type'], string>> = {
  approval_requested: 'requested',
  approved: 'approved',
  denied: 'denied',
  expired: 'expired',
  approval_refused: 'refused',
  plan_changed: 'plan_changed',
};

/**
 * The engine's run events as metrics: a second RunReporter beside the Slack one (see TeeReporter).
 * It only counts, never throws, and reads step times from the stored run rather than from its
 * own clock, so a step that began on a worker that was restarted is still timed from its start.
 */
export class MetricsReporter implements RunReporter {
  constructor(
    private readonly metrics: BotMetrics,
    private readonly now: () => number = Date.now,
  ) {}

  onEvent(run: Run, event: RunEvent): Promise<void> {
    const { runbook } = run;
    const state = RUN_STATES[event.type];
    if (state) this.metrics.runs.inc({ runbook, state });
    const decision = APPROVAL_DECISIONS[event.type];
    if (decision) this.metrics.approvals.inc({ runbook, decision });
    if (event.type === 'step_done') this.stepEnded(run, event.step, 'done');
    if (event.type === 'failed' && event.step) this.stepEnded(run, event.step, 'failed');
    if (event.type === 'note' && event.level === 'warning') this.metrics.runWarnings.inc({ runbook });
    return Promise.resolve();
  }

  private stepEnded(run: Run, stepId: string, outcome: 'done' | 'failed'): void {
    const record: StepRecord | undefined = allRecords(run).find((s) => s.id === stepId);
    const labels = { runbook: run.runbook, step: stepId, outcome };
    this.metrics.steps.inc(labels);
    if (record?.startedAt !== undefined) {
      const end = record.endedAt ?? run.endedAt ?? this.now();
      this.metrics.stepDuration.observe(labels, Math.max(0, end - record.startedAt) / 1000);
    }
  }
}
