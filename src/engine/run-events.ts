import type { Logger } from '../log.js';
import type { AuditLog } from './audit-log.js';
import type { CardRef, Run, RunEvent, RunReporter } from './types.js';

/**
 * Where every run event goes: the audit stream first (the record must not depend on Slack being
 * up), then the reporter. Events are emitted after the change they describe is saved, so a
 * crash in between loses a message, never a decision.
 */
export class RunEvents {
  constructor(
    private readonly reporter: RunReporter,
    private readonly audit: AuditLog,
    private readonly log: Logger,
  ) {}

  /** Returns where the card was posted, for 'created' (see RunReporter). */
  async emit(run: Run, event: RunEvent): Promise<CardRef | undefined> {
    if (event.type !== 'progress') {
      const step = 'step' in event ? event.step : undefined;
      this.log.info(
        { run: run.id, runbook: run.runbook, step, cluster: run.cluster, event: event.type, status: run.status },
        `run ${event.type}`,
      );
    }
    if (auditable(event)) {
      try {
        await this.audit.append(toAudit(run, event));
      } catch (err) {
        this.log.error({ err, run: run.id, event: event.type }, 'audit append failed');
      }
    }
    try {
      return (await this.reporter.onEvent(run, event)) ?? undefined;
    } catch (err) {
      // The reporter owns its retries (Slack rate limits); a failed post must not stop the run.
      this.log.warn({ err, run: run.id, event: event.type }, 'reporter failed; continuing');
      return undefined;
    }
  }
}

/** Progress is too chatty for an audit trail, and info notes are commentary; warnings are kept. */
function auditable(event: RunEvent): boolean {
  if (event.type === 'progress' || event.type === 'redraw') return false;
  if (event.type === 'note') return event.level === 'warning';
  return true;
}

function toAudit(run: Run, event: RunEvent) {
  const { type, ...rest } = event as RunEvent & { by?: string; step?: string };
  const { by, step, ...detail } = rest;
  const user = by ?? (type === 'created' ? run.requester : undefined);
  if (type === 'created')
    Object.assign(detail, { params: run.params, summary: run.summary, channel: run.channel, planFacts: run.planFacts });
  // Every decision and step result names the plan it belongs to.
  if (run.planHash) Object.assign(detail, { planHash: run.planHash });
  return {
    run: run.id,
    runbook: run.runbook,
    type,
    ...(user !== undefined ? { user } : {}),
    ...(step !== undefined ? { step } : {}),
    detail,
  };
}
