import type { Engine, Run } from '../engine/index.js';
import type { Reply } from './reply.js';
import type { RunCommand } from './run-actions.js';
import { problemView } from './views/error-view.js';
import { refusalText } from './views/refusals.js';

/** Ended runs that may be asked again: those that did not succeed. */
const RERUNNABLE: ReadonlySet<Run['status']> = new Set(['failed', 'cancelled', 'expired', 'denied']);

export interface RerunInput {
  runId: string;
  user: string;
  team?: string;
  triggerId?: string;
  reply: Reply;
}

/**
 * Re-run: the run's own command, asked again by the person who presses it, exactly as if they had
 * typed it: a fresh plan from the estate as it is now (or a refusal), the access policy, a new
 * card and a fresh approval. The old run's thread and audit say so, naming the new run.
 */
export async function rerun(engine: Engine, runCommand: RunCommand, input: RerunInput): Promise<void> {
  const { runId, user, reply } = input;
  const run = await engine.getRun(runId);
  if (!run) return reply.toRequester(problemView(refusalText('unknown_run', 're-run', runId)));
  if (!RERUNNABLE.has(run.status))
    return reply.toRequester(
      problemView(
        `Run ${run.id} is ${run.status.replace('_', ' ')}: ` +
          'only a failed, cancelled, denied or expired run can be re-run.',
        `Wait for it to end, or stop it with /ops cancel ${run.id}.`,
      ),
    );
  if (!run.command)
    return reply.toRequester(
      problemView(`Run ${run.id} does not know the command it came from.`, 'Type the command again to re-run it.'),
    );
  const since = Date.now();
  await runCommand({
    slash: run.command.slash,
    text: run.command.text,
    user,
    ...(input.team ? { team: input.team } : {}),
    channel: run.channel,
    ...(input.triggerId ? { triggerId: input.triggerId } : {}),
    reply,
    rerunOf: run.id,
  });
  // The new run, if the plan was made: the newest few runs are enough (it was created just now).
  const made = (await engine.listRuns({ limit: 20 })).find(
    (r) => r.rerunOf === run.id && r.requester === user && r.createdAt >= since - 1000,
  );
  await engine.recordRerun(run.id, user, made?.id);
}
