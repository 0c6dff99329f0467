import type { StepContext } from '../engine/index.js';
import { duration } from '../format.js';
import type { HealthSummary } from '../targets/elasticsearch/index.js';

/** What a step that looks at the cluster's health remembers of red moments (step state). */
export interface RedWatch {
  /** When the cluster was first seen red in the current episode. */
  redSince?: number;
  /** Red time of the episodes that ended, in ms. */
  redMs?: number;
}

/**
 * Any moment of red health during a run is said, not hidden behind a final "green": the thread
 * hears when the cluster turns red (writes to those indices fail) and when it is no longer red,
 * with how long; the step's summary on the card carries the total (`redSummary`).
 */
export async function watchRed(
  ctx: StepContext<{ cluster: string }, RedWatch>,
  health: Pick<HealthSummary, 'status' | 'unassigned'>,
): Promise<void> {
  const st = ctx.state;
  const now = ctx.now();
  if (health.status === 'red') {
    if (st.redSince !== undefined) return;
    st.redSince = now;
    await ctx.note(
      `:red_circle: Cluster ${ctx.params.cluster} turned red during *${ctx.step.title}* ` +
        `(${health.unassigned} unassigned): some shards have no active copy, and writes to them fail. ` +
        '/es status shows which indices; the run goes on watching.',
      { level: 'warning', once: `red:${ctx.step.id}:${now}` },
    );
    return;
  }
  if (st.redSince === undefined) return;
  const episode = now - st.redSince;
  st.redMs = (st.redMs ?? 0) + episode;
  await ctx.note(`Cluster ${ctx.params.cluster} is no longer red (it was red for ${duration(episode)}).`, {
    once: `red-over:${ctx.step.id}:${st.redSince}`,
  });
  delete st.redSince;
}

/** " · the cluster was red for 12s" for a done step's summary, when it was. */
export function redSummary(ctx: StepContext<{ cluster: string }, RedWatch>): string {
  const st = ctx.state;
  const ms = (st.redMs ?? 0) + (st.redSince !== undefined ? ctx.now() - st.redSince : 0);
  return ms > 0 ? ` · :red_circle: the cluster was red for ${duration(ms)} during this step` : '';
}
