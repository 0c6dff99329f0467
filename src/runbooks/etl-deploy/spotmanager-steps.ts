import type { Alarm, Step, StepContext, StepOutcome } from '../../engine/index.js';
import { duration, utcTime } from '../../format.js';
import { formatBudget, type DisabledLine, type FilePosition } from '../../targets/spotmanager/index.js';
import type { EtlDeployDeps } from './deploy-deps.js';
import { REVERT_DEPLOY, type EtlDeployParams } from './deploy-params.js';
import { fleetMembers } from './fleet-steps.js';
import { newEvents } from './log-cursor.js';
import { failOnOperatorError } from './operator-errors.js';

/** The condition "Stop SpotManager" raises and "Start SpotManager" (step 7, or the revert) clears. */
export const SPOTMANAGER_STOPPED = 'spotmanager-stopped';

/**
 * The deploy's trap, a fleet that never comes back because SpotManager was left stopped, as the
 * card's alarm: while the run goes on, where it stands; once it ended stopped, the way out.
 */
export const spotManagerAlarms: Record<string, Alarm<EtlDeployParams>> = {
  [SPOTMANAGER_STOPPED]: {
    title: () => 'SpotManager is still STOPPED',
    detail: (p) =>
      ` on ${p.spotManager.where} (its ETL cron line is disabled in ${p.spotManager.cronWhere}): ` +
      'no ETL instance will be requested.',
    revert: REVERT_DEPLOY,
    // Both a way out of its own and the alternative to Revert: the card says "or request ..." when Revert is on offer.
    fix: () => 'request `/spot start`',
    fixAlone: () => 'request `/spot start` (a second person approves) to start it',
    during: () =>
      '*SpotManager is stopped by this run* (step 1) until *Start SpotManager* (step 7). ' +
      'Cancelling offers to start it again.',
  },
};

export interface StopState {
  disabledAt?: number;
  /** The lines this run disabled (position and text): "Start SpotManager" gives back exactly these. */
  disabled?: DisabledLine[];
  /** Where its log was read to: the lines after it are new. */
  position?: FilePosition;
  lastChangeAt?: number;
  where?: string;
}

/**
 * SpotManager's ETL cron line disabled, then proven by its log: no new run starts, and a run that
 * was under way has gone quiet for `stopQuietMs` (a run still going could request instances after
 * they were terminated). Done with the lines it disabled (`cronDisabled`): a start gives back those.
 */
export async function stopCron(
  deps: EtlDeployDeps,
  ctx: Pick<StepContext, 'now' | 'progress'>,
  st: Partial<StopState>,
  /** What the person does next when someone restored the line, or something else starts SpotManager. */
  then: { enabled: string; started: string },
): Promise<StepOutcome> {
  const cfg = deps.estate.etl.deploy;
  const sm = deps.etl.spotManager();
  if (st.disabledAt === undefined) {
    const change = await sm.disable();
    // Where the log is now: every line after this position is new, however many are written.
    const log = await sm.readLogFrom(undefined, 1);
    // Already disabled (a call that crashed before its checkpoint): the lines with our mark are this run's.
    st.disabled = change.disabled.length ? change.disabled : change.marked;
    st.disabledAt = ctx.now();
    st.lastChangeAt = st.disabledAt;
    st.where = change.where;
    if (log.position) st.position = log.position;
  }
  if ((await sm.cronState()).enabled) {
    return {
      status: 'fail',
      reason:
        `SpotManager's ETL cron line is enabled again in ${st.where} (someone restored it). ` +
        `Nothing else was changed; ${then.enabled}.`,
    };
  }
  const read = await sm.readLogFrom(st.position);
  if (read.position) st.position = read.position;
  const fresh = read.lines;
  if (fresh.length) st.lastChangeAt = ctx.now();
  // A run that starts a second after the line was disabled was not started by that line.
  const started = newEvents(fresh, st.disabledAt + 1000).find(
    (e) => e.kind === 'pricing' || e.kind === 'already-running',
  );
  if (started) {
    return {
      status: 'fail',
      reason:
        `SpotManager started a run at ${started.at ? utcTime(started.at) : 'an unknown time'} ` +
        `after its ETL cron line was disabled in ${st.where}: ` +
        'something else starts it (another crontab or cron file). ' +
        `Find it, then ${then.started}.`,
    };
  }
  const quiet = ctx.now() - (st.lastChangeAt ?? st.disabledAt);
  await ctx.progress({
    fraction: cfg.stopQuietMs ? Math.min(1, quiet / cfg.stopQuietMs) : 1,
    text:
      `ETL cron line disabled in ${st.where}; ` +
      `its log has been quiet for ${duration(quiet)} of ${duration(cfg.stopQuietMs)}`,
  });
  if (quiet < cfg.stopQuietMs) return { status: 'wait', recheckInMs: Math.min(cfg.pollMs, cfg.stopQuietMs - quiet) };
  return {
    status: 'done',
    summary: `ETL cron line disabled in ${st.where}; no new run in its log for ${duration(quiet)}`,
    output: { stoppedAt: st.disabledAt, cronDisabled: st.disabled ?? [] },
  };
}

/**
 * "Stop SpotManager" (step 1): its ETL cron line disabled and its log quiet (see stopCron). On
 * done, the fleet that step 2 will terminate is listed in the thread. Undo: the deploy's revert,
 * which ends with "Start SpotManager".
 */
export function stopSpotManager(deps: EtlDeployDeps, undo?: Step<EtlDeployParams>): Step<EtlDeployParams, StopState> {
  return {
    id: 'stop-spotmanager',
    title: 'Stop SpotManager',
    destructive: true,
    // A SpotManager run under way must end before the log counts as quiet: an hour, with room.
    budgetMs: () => deps.estate.etl.deploy.stopQuietMs + 60 * 60_000,
    raises: [SPOTMANAGER_STOPPED],
    run: (ctx) =>
      failOnOperatorError(async () => {
        const out = await stopCron(deps, ctx, ctx.state, {
          enabled: 'ask again when it should stop',
          started: 'Revert (restarts SpotManager) or ask again',
        });
        if (out.status !== 'done') return out;
        const members = fleetMembers(await deps.etl.fleet.listEtlInstances());
        if (members.length) {
          const listed = members
            .map((m) => `${m.id} (${m.type}, ${m.phase})`)
            .join(', ')
            .slice(0, 2500);
          await ctx.note(
            'SpotManager is stopped. *Terminate all ETL instances* (next, approved) ' +
              `will terminate ${members.length}: ${listed}`,
            { once: 'fleet-at-stop' },
          );
        }
        return { ...out, output: { ...out.output, fleetAtStop: members } };
      }),
    ...(undo ? { undo } : {}),
  };
}

/** The lines a start gives back: those the run recorded at its stop (`/spot start`: at its plan). */
function recordedLines(ctx: {
  run: { outputs: Record<string, unknown> };
  params: unknown;
}): DisabledLine[] | undefined {
  const fromStop = ctx.run.outputs.cronDisabled;
  if (Array.isArray(fromStop)) return fromStop as DisabledLine[];
  const fromPlan = (ctx.params as { lines?: unknown }).lines;
  return Array.isArray(fromPlan) ? (fromPlan as DisabledLine[]) : undefined;
}

const quoted = (l: { index: number; text: string }) => `line ${l.index + 1}: \`${l.text.replace(/`/g, "'")}\``;

/**
 * "Start SpotManager": exactly the cron lines this run (or `/spot start`'s plan) recorded as
 * disabled by the bot are given back; the next cron run starts it. Any other disabled ETL line
 * (commented out by hand, a second instance) is left alone and named in the thread. As the undo
 * of "Stop SpotManager" it is approved (Revert); as step 7 it is not (the deploy was approved).
 */
export function startSpotManager<P>(
  deps: EtlDeployDeps,
  opts: { id: string; approved: boolean } = { id: 'start-spotmanager', approved: false },
): Step<P> {
  return {
    id: opts.id,
    title: 'Start SpotManager',
    destructive: opts.approved,
    clears: [SPOTMANAGER_STOPPED],
    run: (ctx) =>
      failOnOperatorError(async () => {
        const sm = deps.etl.spotManager();
        // A run from before the lines were recorded: the lines that carry the bot's mark are its own.
        const recorded = recordedLines(ctx) ?? (await sm.cronState()).marked;
        const change = await sm.enable(recorded);
        if (change.others.length) {
          await ctx.note(
            `Left alone in ${change.where}: ${change.others.map(quoted).join(', ')}. ` +
              'It carries the ETL markers and is commented out, but not by this run: it may be disabled on ' +
              'purpose, or be a second instance. Restore it by hand if it should run.',
            { level: 'warning', once: `cron-others:${change.others.map((l) => l.text).join('|')}` },
          );
        }
        if (!change.restored.length && !change.already.length && recorded.length) {
          return {
            status: 'fail',
            reason:
              `the ETL cron line the bot disabled (${change.missing.map(quoted).join(', ')}) is no longer in ` +
              `${change.where} as the bot left it: someone edited the file. Nothing was changed; ` +
              'restore the line by hand, then check with /etl status.',
          };
        }
        if (!change.enabled) {
          return {
            status: 'fail',
            reason:
              `no ETL line runs from ${change.where} after the start` +
              (recorded.length ? '' : ' (this run disabled none)') +
              '. Nothing else was changed; restore the line by hand if it should run.',
          };
        }
        return {
          status: 'done',
          summary:
            `ETL cron line ${change.changed ? 'restored' : 'was already enabled'} in ${change.where}; ` +
            'SpotManager runs at its next cron time',
          output: { spotManagerStartedAt: ctx.now() },
        };
      }),
  };
}

/** "Pull SpotManager changes (on `beta` branch) to its instance": a local budget edit is kept across the pull. */
export function pullSpotManager(deps: EtlDeployDeps): Step<EtlDeployParams> {
  return {
    id: 'pull-spotmanager',
    title: `Pull SpotManager changes (on \`${deps.estate.spotManager.branch}\` branch) to its instance`,
    run: () =>
      failOnOperatorError(async () => {
        const sm = deps.etl.spotManager();
        const r = await sm.pull();
        const moved =
          r.before === r.after
            ? `already up to date at ${r.before.slice(0, 7)}`
            : `${r.before.slice(0, 7)} → ${r.after.slice(0, 7)}`;
        const kept =
          r.budgetKept !== undefined ? `; the local budget edit ($${formatBudget(r.budgetKept)}/hour) was kept` : '';
        return { status: 'done', summary: `${sm.dir} on ${sm.where}: ${moved}${kept}` };
      }),
  };
}
