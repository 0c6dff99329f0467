import type { Command } from '../../commands/types.js';
import type { BackfillParams } from '../../runbooks/etl-backfill/index.js';
import { missingKeys } from '../../targets/etl/index.js';
import { noticeView, problemView } from '../views/error-view.js';
import type { CommandContext } from './context.js';
import { describeEtlProblem, isEtlProblem } from './etl-errors.js';
import { startRunByName } from './run-request.js';

type Cmd<N extends Command['name']> = Extract<Command, { name: N }>;

/**
 * `/etl backfill` (and the deploy card's "Run the backfill" button): refused while the work queue
 * holds more than `maxQueued` messages, as the real backfill is; otherwise the keys the
 * destination lacks are counted and the run is planned, for a second person to approve.
 */
export async function requestBackfill(_cmd: Cmd<'etl.backfill'>, ctx: CommandContext): Promise<void> {
  if (!ctx.etl) {
    await ctx.reply.toRequester(problemView('The ETL is not wired into this bot.', 'Ask whoever runs the bot.'));
    return;
  }
  const t = ctx.etl.targets;
  const cfg = ctx.deps.estate.etl.backfill;
  const queue = ctx.deps.estate.etl.workQueue;
  try {
    const depth = await t.queues.queueDepth(queue);
    if (!depth.exists) {
      await ctx.reply.toRequester(problemView(`The work queue ${queue} does not exist.`, 'Nothing was queued.'));
      return;
    }
    const held = depth.visible + depth.inFlight;
    if (held > cfg.maxQueued) {
      await ctx.reply.toRequester(
        problemView(
          `The work queue ${queue} already holds ${held} messages, more than ${cfg.maxQueued}: the backfill refuses, as the real one does.`,
          'Nothing was queued. Ask again once it has drained (/etl status shows it).',
        ),
      );
      return;
    }
    const missing = await missingKeys(t.buckets, cfg.source, cfg.destination, cfg.maxKeys);
    if (!missing.keys.length) {
      await ctx.reply.toChannel(
        noticeView(
          `:white_check_mark: Nothing to backfill: every one of the ${missing.sourceCount} key(s) of *${cfg.source}* is in *${cfg.destination}*.`,
        ),
      );
      return;
    }
    const params: BackfillParams = {
      source: cfg.source,
      destination: cfg.destination,
      queue,
      missing: missing.keys.length,
      truncated: missing.truncated,
      sample: missing.keys.slice(0, 5),
      depthAtPlan: held,
      maxQueued: cfg.maxQueued,
    };
    await startRunByName(ctx, 'etl.backfill', params);
  } catch (err) {
    if (!isEtlProblem(err)) throw err;
    await ctx.reply.toRequester(
      problemView(`Cannot plan the backfill: ${describeEtlProblem(err, 'the backfill')}`, 'Nothing was queued.'),
    );
  }
}
