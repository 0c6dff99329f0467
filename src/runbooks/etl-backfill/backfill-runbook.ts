import type { Runbook, Step, StepOutcome } from '../../engine/index.js';
import { duration } from '../../format.js';
import type { EtlTargets } from '../../targets/etl/index.js';
import { enqueueKeys, missingKeys } from '../../targets/etl/index.js';
import { etlBackfill, type BackfillParams } from './backfill-params.js';

export interface EtlBackfillDeps {
  etl: EtlTargets;
}

/** Keys sent per call of the step: a restarted worker repeats at most this many. */
const CHUNK = 500;

interface QueueState {
  lastKey: string;
  sent: number;
  baseline: number;
}
interface DrainState {
  samples: { at: number; depth: number }[];
  peak: number;
  stalledSince: number;
}

const held = (d: { visible: number; inFlight: number }) => d.visible + d.inFlight;

/**
 * "Run the backfill": the source's keys that the destination lacks go onto the work queue, in key
 * order, `CHUNK` per call; the cursor is the last key sent, so keys the ETL finishes meanwhile do
 * not shift it. Refused, changing nothing, while the queue holds more than `maxQueued` (as the real
 * backfill is).
 */
function queueMissingKeys(deps: EtlBackfillDeps): Step<BackfillParams, QueueState> {
  return {
    id: 'run-backfill',
    title: 'Run the backfill',
    destructive: true,
    async run(ctx): Promise<StepOutcome> {
      const p = ctx.params;
      const cfg = deps.etl.estate.etl.backfill;
      const st = ctx.state;
      if (st.baseline === undefined) {
        const depth = await deps.etl.queues.queueDepth(p.queue);
        if (!depth.exists)
          return { status: 'fail', reason: `the work queue ${p.queue} does not exist. Nothing was queued.` };
        if (held(depth) > p.maxQueued) {
          return {
            status: 'fail',
            reason:
              `the work queue ${p.queue} holds ${held(depth)} messages, more than ${p.maxQueued}: ` +
              'the backfill refuses, as the real one does. ' +
              'Nothing was queued; ask again once it has drained (/etl status).',
          };
        }
        st.baseline = held(depth);
        st.sent = 0;
      }
      const missing = await missingKeys(deps.etl.buckets, p.source, p.destination, cfg.maxKeys);
      const todo = missing.keys
        .filter((k) => st.lastKey === undefined || k > st.lastKey)
        .slice(0, Math.max(0, cfg.maxKeys - (st.sent ?? 0)));
      const chunk = todo.slice(0, CHUNK);
      if (chunk.length) {
        st.sent = (st.sent ?? 0) + (await enqueueKeys(deps.etl.queues, p.queue, p.source, chunk, ctx.now()));
        st.lastKey = chunk[chunk.length - 1];
      }
      await ctx.progress({ text: `${st.sent} key(s) of ${p.source} queued on ${p.queue}` });
      if (todo.length > chunk.length) return { status: 'wait', recheckInMs: 0 };
      return {
        status: 'done',
        summary:
          `${st.sent} key(s) of ${p.source} missing from ${p.destination} queued on ${p.queue}` +
          (missing.truncated ? ' (more remain: backfill again once the queue has drained)' : ''),
        output: { queued: st.sent, baseline: st.baseline },
      };
    },
  };
}

/** "progress is the work queue draining": depth, rate and ETA, until it is back to what it held before. */
function waitForDrain(deps: EtlBackfillDeps): Step<BackfillParams, DrainState> {
  return {
    id: 'wait-for-drain',
    title: 'Wait while the work queue drains',
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
    lock: () => 'etl:backfill',
    summary: (p) => `Backfill ${p.missing}${p.truncated ? '+' : ''} key(s) of ${p.source} onto ${p.queue}`,
    steps: [queueMissingKeys(deps), waitForDrain(deps)],
  };
}
