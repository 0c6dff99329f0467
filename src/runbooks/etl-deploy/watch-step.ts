import type { Step, StepOutcome } from '../../engine/index.js';
import { duration, utcTime } from '../../format.js';
import type { EtlFleet } from '../../targets/ec2/index.js';
import { formatBudget, isTrouble, lastRun, parseLog, type RunSummary } from '../../targets/spotmanager/index.js';
import type { EtlDeployDeps } from './deploy-deps.js';
import type { EtlDeployParams } from './deploy-params.js';
import { newEvents, newLines } from './log-cursor.js';
import { troubleAdvice, troubleKey } from './trouble-advice.js';

/** What the watch remembers between looks (persisted after every call: a restarted worker goes on from here). */
interface WatchState {
  since: number;
  lastLine: string;
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
    async run(ctx): Promise<StepOutcome> {
      const cfg = deps.estate.etl.deploy;
      const p = ctx.params;
      const st = ctx.state;
      const now = ctx.now();
      st.since ??= (ctx.run.outputs.spotManagerStartedAt as number | undefined) ?? now;
      const sm = deps.etl.spotManager();
      const [{ lines }, fleet, depth, settings] = await Promise.all([
        sm.readLog(400),
        deps.etl.fleet.listEtlInstances(),
        deps.etl.queues.queueDepth(p.workQueue),
        sm.readSettings(),
      ]);
      const fresh = newEvents(lines, st.lastLine, st.since);
      const unseen = newLines(lines, st.lastLine);
      if (unseen.length) st.lastLine = unseen[unseen.length - 1];
      for (const e of fresh) {
        if (e.kind === 'pricing') st.runs = (st.runs ?? 0) + 1;
        if (!isTrouble(e)) continue;
        st.troubles = (st.troubles ?? 0) + 1;
        st.lastTroubleAt = now;
        st.lastTrouble = e.line;
        await ctx.note(troubleAdvice(e, settings.budget), { level: 'warning', once: troubleKey(e) });
      }
      // The numbers of SpotManager's latest run since the start (an earlier run's are not this deploy's).
      const since = Math.floor(st.since / 1000) * 1000;
      const run = st.runs ? lastRun(parseLog(lines).filter((e) => (e.at ?? 0) >= since)) : undefined;
      const quietFor = now - (st.lastTroubleAt ?? st.since);
      const ok = settled(run, fleet);
      const queueText = depth.exists
        ? `${p.workQueue}: ${depth.visible} waiting, ${depth.inFlight} in flight`
        : `${p.workQueue} does not exist`;
      const quietText = `no trouble for ${duration(quietFor)} of ${duration(cfg.quietMs)}`;
      const c = fleet.counts;
      const total = c.requested + c.pending + c.running + c.setup;
      await ctx.progress({
        fraction: total ? c.setup / total : 0,
        text: st.runs
          ? `${ok ? 'SpotManager has what it wants' : 'SpotManager is coming up'}: ` +
            `${c.setup} of ${total} instance(s) set up · ${quietText}`
          : `waiting for SpotManager's first run since ${utcTime(st.since)} (cron)`,
        fields: fields(run, st, fleet, settings.budget, queueText, quietText),
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
