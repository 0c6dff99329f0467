import type { Step, StepOutcome } from '../../engine/index.js';
import { duration, utcTime } from '../../format.js';
import type { EtlFleet } from '../../targets/ec2/index.js';
import {
  formatBudget,
  isTrouble,
  lastRun,
  parseLine,
  parseLog,
  type FilePosition,
  type RunSummary,
} from '../../targets/spotmanager/index.js';
import type { EtlDeployDeps } from './deploy-deps.js';
import type { EtlDeployParams } from './deploy-params.js';
import { comeUpStart, comeUpTimes, expectedLeft, runSamples, type RunSample } from './run-pace.js';
import { troubleAdvice, troubleKey } from './trouble-advice.js';

/** Lines of the latest run kept between looks (a run writes a few dozen); older runs are kept as samples. */
const RUN_LINES = 300;
const SAMPLES = 50;

/** What the watch remembers between looks (persisted after every call: a restarted worker goes on from here). */
interface WatchState {
  since: number;
  /** Where the log was read to (inode and offset): every line after it is new, however many. */
  position: FilePosition;
  /** The lines of SpotManager's latest run since the start, and the samples of its earlier ones. */
  runLines: string[];
  samples: RunSample[];
  /** How long its come-ups took before this deploy (from the log it had at step 8's first look). */
  history: number[];
  runs: number;
  troubles: number;
  lastTroubleAt: number;
  lastTrouble: string;
}

const perHour = (n: number | undefined) => (n === undefined ? '?' : `$${formatBudget(Number(n.toFixed(4)))}/hour`);

/** SpotManager has what it wants: its last run needs no more utility and every instance is set up. */
function settled(run: RunSummary | undefined, fleet: EtlFleet): boolean {
  const coming = fleet.counts.requested + fleet.counts.pending + fleet.counts.running;
  return run !== undefined && !run.skipped && run.utilityNeeded !== undefined && run.utilityNeeded <= 0 && coming === 0;
}

function fields(
  run: RunSummary | undefined,
  st: Partial<WatchState>,
  fleet: EtlFleet,
  budget: number | undefined,
  depth: string,
  quietText: string,
): Record<string, string> {
  const c = fleet.counts;
  return {
    'SpotManager runs': `${st.runs ?? 0} since the start${run?.startedAt ? `, last ${utcTime(run.startedAt)}` : ''}`,
    Pricing:
      run?.startedAt !== undefined
        ? `priced at ${utcTime(run.startedAt)}; the fleet costs ${perHour(fleet.hourlyCost)} now`
        : 'not priced yet',
    // EC2's live bids, not the run's first line: that one is written before the run's own requests.
    'Exposure vs budget': `${perHour(fleet.exposure)} bid of ${perHour(budget)}`,
    Utility:
      run?.utilityRunning !== undefined
        ? `${run.utilityRunning} running; need ${run.utilityNeeded} more`
        : 'not yet reported',
    Instances: `requested ${c.requested} → pending ${c.pending} → running ${c.running} → set up ${c.setup}`,
    'ETL queue': depth,
    Errors: st.troubles
      ? `:warning: ${st.troubles}, last ${st.lastTroubleAt ? utcTime(st.lastTroubleAt) : ''}`
      : 'none',
    Quiet: quietText,
  };
}

/** The expected time until SpotManager has what it wants, from how long its come-ups took before. */
function expectation(st: Partial<WatchState>, ok: boolean, now: number): string {
  if (ok) return 'SpotManager has what it wants';
  const since = [...(st.samples ?? []), ...runSamples(parseLog(st.runLines ?? []))];
  const history = [...(st.history ?? []), ...comeUpTimes(since)];
  const e = expectedLeft(history, comeUpStart(since) ?? st.since ?? now, now);
  if (!e) return 'no earlier come-up in its log to go by';
  const past = `its past come-ups took ${duration(e.typicalMs)} (median of ${e.basedOn})`;
  return e.leftMs > 0 ? `about ${duration(e.leftMs)} more: ${past}` : `overdue: ${past}`;
}

/**
 * The log's new lines since the last look, by position: none is missed or counted twice however
 * many were written meanwhile. The first look reads the end of the log: what is older than the
 * start is SpotManager's history (how long it took to come up before), the rest is new.
 */
async function readNewLines(
  deps: EtlDeployDeps,
  st: Partial<WatchState>,
  note: (text: string) => Promise<void>,
): Promise<string[]> {
  const first = st.position === undefined;
  const read = await deps.etl.spotManager().readLogFrom(st.position);
  if (read.position) st.position = read.position;
  if (read.restarted) await note("SpotManager's log was rotated or truncated: reading the new file from its start.");
  if (!first) return read.lines;
  const floor = Math.floor(st.since! / 1000) * 1000;
  const at = read.lines.findIndex((l) => (parseLine(l)?.at ?? -Infinity) >= floor);
  const cut = at < 0 ? read.lines.length : at;
  st.history = comeUpTimes(runSamples(parseLog(read.lines.slice(0, cut))));
  return read.lines.slice(cut);
}

/** Folds new lines into the latest run's lines; a new run turns the one before into a sample. */
function foldRuns(st: Partial<WatchState>, lines: readonly string[]): void {
  let run = st.runLines ?? [];
  for (const line of lines) {
    if (parseLine(line)?.kind === 'pricing') {
      st.samples = [...(st.samples ?? []), ...runSamples(parseLog(run))].slice(-SAMPLES);
      run = [];
    }
    run.push(line);
  }
  st.runLines = run.slice(-RUN_LINES);
}

/**
 * "Confirm nothing blows up; which will take several minutes as SpotManager negotiates pricing and
 * waits to setup instances". Each look reads SpotManager's new log lines, the fleet and the work
 * queue; every trouble line is posted at once with advice (once per distinct line); the step
 * succeeds when SpotManager has what it wants, all set up, and no trouble line for `quietMs`.
 */
export function confirmNothingBlowsUp(deps: EtlDeployDeps): Step<EtlDeployParams, WatchState> {
  return {
    id: 'confirm-nothing-blows-up',
    title: 'Confirm nothing blows up',
    // It fails at watchTimeoutMs; the watchdog (I5) is for a call that hangs.
    budgetMs: () => deps.estate.etl.deploy.watchTimeoutMs + 2 * deps.estate.etl.deploy.pollMs,
    async run(ctx): Promise<StepOutcome> {
      const cfg = deps.estate.etl.deploy;
      const p = ctx.params;
      const st = ctx.state;
      const now = ctx.now();
      st.since ??= (ctx.run.outputs.spotManagerStartedAt as number | undefined) ?? now;
      const sm = deps.etl.spotManager();
      const [lines, fleet, depth, settings] = await Promise.all([
        readNewLines(deps, st, (text) => ctx.note(text, { level: 'warning', once: `log-restart:${now}` })),
        deps.etl.fleet.listEtlInstances(),
        deps.etl.queues.queueDepth(p.workQueue),
        sm.readSettings(),
      ]);
      foldRuns(st, lines);
      for (const e of parseLog(lines)) {
        if (e.kind === 'pricing') st.runs = (st.runs ?? 0) + 1;
        if (!isTrouble(e)) continue;
        st.troubles = (st.troubles ?? 0) + 1;
        st.lastTroubleAt = now;
        st.lastTrouble = e.line;
        await ctx.note(troubleAdvice(e, settings.budget), { level: 'warning', once: troubleKey(e) });
      }
      // The numbers of SpotManager's latest run since the start (an earlier run's are not this deploy's).
      const run = st.runs ? lastRun(parseLog(st.runLines ?? [])) : undefined;
      const quietFor = now - (st.lastTroubleAt ?? st.since);
      const ok = settled(run, fleet);
      const queueText = depth.exists
        ? `${p.workQueue}: ${depth.visible} waiting, ${depth.inFlight} in flight`
        : `${p.workQueue} does not exist`;
      const quietText = `no trouble for ${duration(quietFor)} of ${duration(cfg.quietMs)}`;
      const c = fleet.counts;
      const total = c.requested + c.pending + c.running + c.setup;
      const expected = expectation(st, ok, now);
      await ctx.progress({
        fraction: total ? c.setup / total : 0,
        text: st.runs
          ? `${ok ? 'SpotManager has what it wants' : `SpotManager is coming up (${expected})`}: ` +
            `${c.setup} of ${total} instance(s) set up · ${quietText}`
          : `waiting for SpotManager's first run since ${utcTime(st.since)} (cron)`,
        fields: { ...fields(run, st, fleet, settings.budget, queueText, quietText), Expected: expected },
      });
      if (ok && quietFor >= cfg.quietMs) {
        return {
          status: 'done',
          summary:
            `nothing blew up: ${c.setup} ETL instance(s) set up, ` +
            `${perHour(fleet.exposure)} bid of the ${perHour(settings.budget)} budget, ${queueText}; ` +
            `no trouble line for ${duration(quietFor)} over ${st.runs} SpotManager run(s)`,
          output: { setUp: c.setup, budget: settings.budget },
        };
      }
      if (now - st.since > cfg.watchTimeoutMs) {
        const why = !st.runs
          ? 'SpotManager never ran (is cron running on its host?)'
          : !ok
            ? `SpotManager still wants more (${run?.utilityRunning ?? '?'} utility running, ` +
              `need ${run?.utilityNeeded ?? '?'} more; ` +
              `${c.requested + c.pending + c.running} instance(s) not set up)`
            : `a trouble line appeared ${duration(quietFor)} ago: \`${st.lastTrouble ?? ''}\``;
        return {
          status: 'fail',
          reason:
            `after ${duration(now - st.since)} of watching: ${why}. ` +
            'SpotManager keeps running; look at /etl status and /spot log.',
        };
      }
      return { status: 'wait', recheckInMs: cfg.pollMs };
    },
  };
}
