import type { Runbook, Step, StepOutcome } from '../../engine/index.js';
import { duration } from '../../format.js';
import type { EtlTargets } from '../../targets/etl/index.js';
import { etlBackfill, type BackfillParams } from './backfill-params.js';
import { queueMissingKeys } from './queue-missing-keys.js';
import { backfillFacts } from './backfill-facts.js';

export interface EtlBackfillDeps {
  etl: EtlTargets;
}

interface DrainState {
  samples: { at: number; depth: number }[];
  peak: number;
  stalledSince: number;
}

const held = (d: { visible: number; inFlight: number }) => d.visible + d.inFlight;

/** "progress is the work queue draining": depth, rate and ETA, until it is back to what it held before. */
function waitForDrain(deps: EtlBackfillDeps): Step<BackfillParams, DrainState> {
  return {
    id: 'wait-for-drain',
    title: 'Wait while the work queue drains',
    // The ETL fleet works the queue down over hours (FACTS); past a day the watchdog says so (I5).
    budgetMs: 24 * 3600_000,
    async run(ctx): Promise<StepOutcome> {
      const p = ctx.params;
      const cfg = deps.etl.estate.etl.backfill;
      const st = ctx.state;
      const baseline = (ctx.run.outputs.baseline as number | undefined) ?? 0;
      const now = ctx.now();
      const depth = held(await deps.etl.queues.queueDepth(p.queue));
      st.peak = Math.max(st.peak ?? depth, depth);
      // Rate over the last few minutes of looks: steady enough for an ETA, quick to follow a change.
      const samples = [...(st.samples ?? []), { at: now, depth }]
        .filter((s) => now - s.at <= Math.max(5 * 60_000, cfg.pollMs * 10))
        .slice(-30);
      st.samples = samples;
      const first = samples[0]!;
      const rate = now > first.at ? ((first.depth - depth) / (now - first.at)) * 60_000 : 0;
      const left = Math.max(0, depth - baseline);
      const eta = rate > 0 ? duration((left / rate) * 60_000) : 'unknown';
      const span = Math.max(1, st.peak - baseline);
      await ctx.progress({
        fraction: Math.min(1, Math.max(0, (st.peak - depth) / span)),
        text:
          `${p.queue}: ${depth} message(s)${baseline ? ` (${baseline} before the backfill)` : ''} · ` +
          `${rate > 0 ? `${rate.toFixed(1)}/min` : 'not draining yet'} · ETA ${eta}`,
        fields: {
          Queue: p.queue,
          Depth: String(depth),
          Rate: rate > 0 ? `${rate.toFixed(1)} messages/min` : '—',
          ETA: eta,
        },
      });
      if (depth <= baseline)
        return {
          status: 'done',
          summary: `${p.queue} drained: ${depth} message(s) left (${baseline} before the backfill)`,
        };
      if (rate <= 0) {
        st.stalledSince ??= now;
        if (now - st.stalledSince >= 30 * 60_000) {
          await ctx.note(
            `${p.queue} has not drained for ${duration(now - st.stalledSince)}: ` +
              'are the ETL instances running? (/etl status)',
            { level: 'warning', once: `stalled:${st.stalledSince}` },
          );
        }
      } else {
        delete st.stalledSince;
      }
      return { status: 'wait', recheckInMs: cfg.pollMs };
    },
  };
}

/** The runbook's step 9, "Run the backfill, if desired", as a run of its own. */
export function etlBackfillRunbook(deps: EtlBackfillDeps): Runbook<BackfillParams> {
  return {
    ...etlBackfill,
    facts: (p) => backfillFacts(deps.etl, p.queue),
    lock: () => 'etl:backfill',
    summary: (p) => `Backfill ${p.missing}${p.truncated ? '+' : ''} key(s) of ${p.source} onto ${p.queue}`,
    steps: [queueMissingKeys(deps.etl), waitForDrain(deps)],
  };
}
