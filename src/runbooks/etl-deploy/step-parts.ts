import type { StepContext, StepOutcome } from '../../engine/index.js';

/** One part of a step that does several things under one approval (the deploy's revert). */
export interface StepPart<P> {
  id: string;
  title: string;
  /** Gets its own scratch state, and the run's outputs with those of the parts done before it. */
  run(ctx: StepContext<P>): Promise<StepOutcome>;
}

export interface PartsState {
  done: string[];
  parts: Record<string, Record<string, unknown>>;
  outputs: Record<string, unknown>;
  summaries: string[];
}

/**
 * Runs the parts in order, each to its end before the next: a part that waits makes the step
 * wait (and resume at that part, as a restarted worker does), a part that fails fails the step.
 * Each part done is said in the thread; the step's summary lists them all.
 */
export async function runParts<P>(
  ctx: StepContext<P, PartsState>,
  parts: readonly StepPart<P>[],
): Promise<StepOutcome> {
  const st = ctx.state;
  const done = (st.done ??= []);
  const states = (st.parts ??= {});
  const outputs = (st.outputs ??= {});
  const summaries = (st.summaries ??= []);
  for (const part of parts) {
    if (done.includes(part.id)) continue;
    const sub: StepContext<P> = {
      ...ctx,
      run: { ...ctx.run, outputs: { ...ctx.run.outputs, ...outputs } },
      state: (states[part.id] ??= {}),
    };
    const out = await part.run(sub);
    if (out.status !== 'done') return out;
    done.push(part.id);
    Object.assign(outputs, out.output ?? {});
    const line = `${part.title}${out.summary ? `: ${out.summary}` : ''}`;
    summaries.push(line);
    await ctx.note(`:white_check_mark: ${line}`, { once: `part:${ctx.step.id}:${part.id}` });
  }
  return { status: 'done', summary: summaries.join('; '), output: outputs };
}
