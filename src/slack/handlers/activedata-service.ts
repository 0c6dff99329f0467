import type { Run, RunStatus } from '../../engine/index.js';
import { ActiveDataError, type ActiveDataService } from '../../targets/activedata/index.js';
import { SshError } from '../../targets/ssh/index.js';
import { problemView } from '../views/error-view.js';
import type { CommandContext } from './context.js';

/**
 * Runs `fn` with the frontend's adapter. No `service:` in opsbot.yaml, an unreachable host, a
 * supervisor that does not answer: each becomes one message to the requester saying what to do,
 * and nothing is changed (every handler reads before it asks for a run).
 */
export async function withService(ctx: CommandContext, fn: (svc: ActiveDataService) => Promise<void>): Promise<void> {
  const svc = ctx.deps.activedata;
  if (!svc) {
    await ctx.reply.toRequester(
      problemView(
        'No ActiveData frontend is configured.',
        'Ask whoever runs the bot to add a service: section to opsbot.yaml (see opsbot.example.yaml).',
      ),
    );
    return;
  }
  try {
    await fn(svc);
  } catch (err) {
    if (err instanceof SshError) {
      await ctx.reply.toRequester(
        problemView(`The ActiveData frontend cannot be reached: ${err.message}`, 'Nothing was changed.'),
      );
      return;
    }
    if (err instanceof ActiveDataError) {
      await ctx.reply.toRequester(problemView(err.message, 'Nothing was changed.'));
      return;
    }
    throw err;
  }
}

const LIVE: RunStatus[] = [
  'awaiting_approval',
  'running',
  'waiting',
  'paused',
  'cancelling',
  'reverting',
  'failed',
  'cancelled',
];

/**
 * A service run still in flight, or a failed one whose Revert is still on offer: a second deploy
 * on top would make that revert mean something else. Returns it, or undefined.
 */
export async function serviceRunInFlight(ctx: CommandContext, now = Date.now()): Promise<Run | undefined> {
  const runs = await ctx.engine.listRuns({ limit: 50, statuses: LIVE });
  return runs.find(
    (r) =>
      r.runbook.startsWith('activedata.') &&
      (!['failed', 'cancelled'].includes(r.status) ||
        (r.undoOffer !== undefined && !r.undoOffer.decided && r.undoOffer.expiresAt > now)),
  );
}

export function inFlightText(run: Run): string {
  const why =
    run.status === 'failed' || run.status === 'cancelled'
      ? 'ended and still offers Revert / Keep as is on its card: choose one first'
      : `is ${run.status.replace('_', ' ')}`;
  return `run ${run.id} (${run.summary}) ${why}. One change to the frontend at a time; /ops cancel ${run.id} stops a run in flight.`;
}
