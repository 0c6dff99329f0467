import type { Step, StepOutcome } from '../../engine/index.js';
import { duration, utcTime } from '../../format.js';
import { readTables } from '../../targets/etl/index.js';
import type { EtlDeployDeps } from './deploy-deps.js';
import type { EtlDeployParams } from './deploy-params.js';
import { failOnOperatorError } from './operator-errors.js';

/**
 * "Create S3 buckets and queues": every bucket and queue named in the ETL settings at the commit.
 * Existing ones are left alone (SQS CreateQueue and S3 CreateBucket are only called for missing
 * ones); the thread lists what was created and what was there.
 */
export function createBucketsAndQueues(deps: EtlDeployDeps): Step<EtlDeployParams> {
  return {
    id: 'create-buckets-and-queues',
    title: 'Create S3 buckets and queues',
    run: (ctx) =>
      failOnOperatorError(async () => {
        const p = ctx.params;
        const queues = await Promise.all(p.resources.queues.map((q) => deps.etl.queues.ensureQueue(q.name)));
        const buckets = await Promise.all(p.resources.buckets.map((b) => deps.etl.buckets.ensureBucket(b.name)));
        const created = [
          ...queues.filter((q) => q.created).map((q) => `queue ${q.name}`),
          ...buckets.filter((b) => b.created).map((b) => `bucket ${b.bucket}`),
        ];
        const existing = [
          ...queues.filter((q) => !q.created).map((q) => `queue ${q.name}`),
          ...buckets.filter((b) => !b.created).map((b) => `bucket ${b.bucket}`),
        ];
        return {
          status: 'done',
          summary:
            `created: ${created.join(', ') || 'nothing'}; ` +
            `already there (left alone): ${existing.join(', ') || 'nothing'}`,
          output: { created },
        };
      }),
  };
}

/** What the bot's checks found, for the summary once a person confirmed. */
interface DevRunState {
  ok: number;
  warnings: number;
}

/** One check the bot can make of the development run, as a thread line. */
interface Check {
  ok: boolean;
  text: string;
}

const problem = (what: string, err: unknown): Check => ({
  ok: false,
  text: `could not check ${what}: ${(err as Error).message}`,
});

async function devRunChecks(deps: EtlDeployDeps, p: EtlDeployParams, now: number): Promise<Check[]> {
  const since = now - deps.estate.etl.deploy.devRunWindowMs;
  const queues = p.resources.queues.map(async (q): Promise<Check> => {
    try {
      const d = await deps.etl.queues.queueDepth(q.name);
      if (!d.exists) return { ok: false, text: `queue *${q.name}* does not exist` };
      const held = d.visible + d.inFlight;
      return held > 0
        ? { ok: true, text: `queue *${q.name}* holds ${d.visible} message(s), ${d.inFlight} in flight` }
        : { ok: false, text: `queue *${q.name}* is empty: no sign the development run used it` };
    } catch (err) {
      return problem(`queue ${q.name}`, err);
    }
  });
  const buckets = p.resources.buckets.map(async (b): Promise<Check> => {
    try {
      const r = await deps.etl.buckets.countRecent(b.name, '', since);
      return r.count > 0
        ? {
            ok: true,
            text:
              `bucket *${b.name}* got ${r.count}${r.truncated ? '+' : ''} object(s) ` +
              `in the last ${duration(now - since)}${r.newest ? ` (newest ${utcTime(r.newest)})` : ''}`,
          }
        : { ok: false, text: `bucket *${b.name}* got no object in the last ${duration(now - since)}` };
    } catch (err) {
      return problem(`bucket ${b.name}`, err);
    }
  });
  let tables: Check[];
  try {
    tables = (
      await readTables(
        deps.clusters.get(p.cluster),
        p.resources.tables.map((t) => t.alias),
      )
    ).flatMap((t): Check[] => {
      const out: Check[] = [
        t.exists
          ? {
              ok: true,
              text: `table *${t.alias}*: ${t.instances
                .filter((i) => i.aliased)
                .map((i) => i.index)
                .join(', ')} has the alias`,
            }
          : { ok: false, text: `table *${t.alias}*: no index ${t.alias}YYYYMMDD_HHMMSS carries the alias yet` },
      ];
      if (t.unaliased.length) {
        out.push({
          ok: false,
          text:
            `table *${t.alias}*: ${t.unaliased.length} similar-name index(es) without the alias ` +
            `(the runbook's "multiple table instances"): ${t.unaliased.join(', ')}. ` +
            'Delete them before the ETL starts, or they keep filling',
        });
      }
      return out;
    });
  } catch (err) {
    tables = [problem(`the new tables on cluster ${p.cluster}`, err)];
  }
  return [...(await Promise.all([...queues, ...buckets])), ...tables];
}

/**
 * "Use development run ETL and confirm use of buckets and queues, and confirm creation of new
 * tables in production": the bot shows what it can check (queues hold messages, buckets got
 * objects, each new table exists with its alias and has no similar-name duplicates), then a
 * person who looked at the development run presses Confirmed.
 */
export function confirmDevelopmentRun(deps: EtlDeployDeps): Step<EtlDeployParams, DevRunState> {
  return {
    id: 'confirm-development-run',
    title:
      'Use development run ETL and confirm use of buckets and queues, and confirm creation of new tables in production',
    async run(ctx): Promise<StepOutcome> {
      const st = ctx.state;
      if (ctx.resumed) {
        return {
          status: 'done',
          summary:
            `confirmed by <@${ctx.resumed.by}>; ` +
            `the bot's checks: ${st.ok ?? 0} ok, ${st.warnings ?? 0} to look at`,
        };
      }
      const checks = await devRunChecks(deps, ctx.params, ctx.now());
      st.ok = checks.filter((c) => c.ok).length;
      st.warnings = checks.length - st.ok;
      await ctx.note(
        'What the bot can see of the development run:\n' +
          checks.map((c) => `${c.ok ? ':white_check_mark:' : ':warning:'} ${c.text}`).join('\n'),
        { once: 'dev-run-checks' },
      );
      return {
        status: 'pause',
        action: 'confirm',
        prompt:
          'run the ETL in development against these buckets and queues; ' +
          'when it used them and created the new tables (checks in the thread), press *Confirmed*.',
      };
    },
  };
}
