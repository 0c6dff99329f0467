import type { Step, StepOutcome } from '../../engine/index.js';
import { fractionThrough, keyRange, type KeyRange } from '../../targets/s3/index.js';
import {
  BackfillMerge,
  sendKeyBatch,
  SQS_BATCH,
  startCursor,
  type EtlTargets,
  type MergeCursor,
} from '../../targets/etl/index.js';
import { failOnOperatorError } from '../etl-deploy/operator-errors.js';
import { count, listingPace, listingText, type ListingSample } from './backfill-progress.js';
import type { BackfillParams } from './backfill-params.js';

/** One call lists and sends for about this long, then saves its cursor and shows progress. */
const SLICE_MS = 2_000;

interface QueueState {
  baseline: number;
  cursor: MergeCursor;
  queued: number;
  /** The batch being sent, saved before SendMessageBatch and cleared after: found set, it may or may not have gone. */
  sending: { first: string; last: string; count: number };
  /** Keys of interrupted sends: not sent again (none is ever queued twice), perhaps not queued. */
  uncertain: number;
  range: KeyRange | null;
  samples: ListingSample[];
}

const held = (d: { visible: number; inFlight: number }) => d.visible + d.inFlight;

/**
 * "Run the backfill": the source's keys that the destination lacks go onto the work queue as the
 * two listings are merged (BackfillMerge), at most `maxKeys` a run; the rest are counted. The
 * merge's cursor is saved with every batch, so a restarted worker goes on from there. Each batch
 * of ten is recorded (ctx.checkpoint) before it is sent: a worker killed while sending leaves
 * that record, and the resumed step sends those keys no more (at most once per key per run; a
 * key that did not make it stays missing, for the next backfill).
 */
export function queueMissingKeys(etl: EtlTargets): Step<BackfillParams, QueueState> {
  return {
    id: 'run-backfill',
    title: 'Run the backfill',
    destructive: true,
    // Listing millions of keys takes minutes to an hour (npm run bench backfill: ~12,000 keys/s).
    budgetMs: 6 * 3600_000,
    run: (ctx) =>
      failOnOperatorError(async (): Promise<StepOutcome> => {
        const p = ctx.params;
        const cfg = etl.estate.etl.backfill;
        const st = ctx.state;
        const url = await etl.queues.url(p.queue);
        if (!url) return { status: 'fail', reason: `the work queue ${p.queue} does not exist. Nothing was queued.` };
        if (st.baseline === undefined) {
          const depth = await etl.queues.queueDepth(p.queue);
          if (held(depth) > p.maxQueued) {
            return {
              status: 'fail',
              reason:
                `the work queue ${p.queue} holds ${held(depth)} messages, more than ${p.maxQueued}: ` +
                'the backfill refuses, as the real one does. ' +
                'Nothing was queued; ask again once it has drained (/etl status).',
            };
          }
          Object.assign(st, { baseline: held(depth), queued: 0, uncertain: 0, cursor: startCursor(), samples: [] });
        }
        st.cursor ??= startCursor(); // a run saved by the bot before the merge
        st.queued ??= 0;
        st.samples ??= [];
        if (st.sending) {
          const s = st.sending;
          st.uncertain = (st.uncertain ?? 0) + s.count;
          delete st.sending;
          await ctx.note(
            `Sending ${s.count} key(s) (\`${s.first}\` … \`${s.last}\`) was interrupted: they are not sent again, ` +
              'so no key is queued twice; any of them that did not make it stays missing and the next ' +
              '/etl backfill finds it.',
            { level: 'warning', once: `interrupted:${s.first}` },
          );
        }
        const merge = new BackfillMerge(etl.buckets, p.source, p.destination, st.cursor, {
          pageSize: cfg.listPageSize,
          settings: { source: 'etl.backfill.source', destination: 'etl.backfill.destination' },
        });
        const until = ctx.now() + SLICE_MS;
        const pause = () => ctx.now() >= until || ctx.signal.aborted;
        try {
          while (!pause()) {
            const batch: string[] = [];
            while (batch.length < SQS_BATCH) {
              const key = await merge.next(pause);
              if (key === undefined) break;
              // Past the cap the keys are only counted: the queue drains these before the next round.
              if (st.queued + batch.length < cfg.maxKeys) batch.push(key);
            }
            st.cursor = merge.cursor();
            if (batch.length) {
              st.sending = { first: batch[0]!, last: batch[batch.length - 1]!, count: batch.length };
              await ctx.checkpoint();
              await sendKeyBatch(etl.queues, { name: p.queue, url }, p.source, batch, ctx.now());
              st.queued += batch.length;
              delete st.sending;
              await ctx.checkpoint(); // so a worker killed between batches leaves no doubt about this one
            }
            if (st.cursor.finished || batch.length < SQS_BATCH) break;
          }
        } finally {
          await merge.close();
        }
        // Once, for the ETA: how far through the source's keys the cursor is.
        if (st.range === undefined) st.range = (await keyRange(etl.buckets, p.source)) ?? null;
        return report(ctx, st as QueueState);
      }),
  };
}

async function report(
  ctx: Parameters<Step<BackfillParams, QueueState>['run']>[0],
  st: QueueState,
): Promise<StepOutcome> {
  const p = ctx.params;
  const c = st.cursor;
  const now = ctx.now();
  const fraction = c.finished ? 1 : st.range && c.source ? fractionThrough(st.range, c.source) : undefined;
  st.samples = [...st.samples, { at: now, listed: c.listed, ...(fraction !== undefined ? { fraction } : {}) }]
    .filter((s) => now - s.at <= 60_000)
    .slice(-30);
  const text = listingText(c, st.queued, listingPace(st.samples));
  await ctx.progress({
    ...(fraction !== undefined ? { fraction } : {}),
    text,
    fields: { Listed: count(c.listed), Missing: count(c.missing), Queued: count(st.queued) },
  });
  if (!c.finished) return { status: 'wait', recheckInMs: 0 };
  const rest = c.missing - st.queued - st.uncertain;
  return {
    status: 'done',
    summary:
      `${count(st.queued)} key(s) of ${p.source} missing from ${p.destination} queued on ${p.queue} ` +
      `(listed ${count(c.listed)}, ${count(c.missing)} missing)` +
      (st.uncertain ? `; ${st.uncertain} interrupted, not sent again` : '') +
      (rest > 0 ? `; ${count(rest)} more for the next backfill, once the queue has drained` : ''),
    output: { queued: st.queued, baseline: st.baseline, missing: c.missing },
  };
}
