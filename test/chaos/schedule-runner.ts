import { raisedAlarms, type Engine, type Run } from '../../src/engine/index.js';
import { startLocalStack, type LocalStack } from '../../src/main/local-stack.js';
import {
  planBounce,
  planDrainRun,
  planMaintain,
  planRollingRestart,
  type PlanResult,
  type PlanDeps,
} from '../../src/runbooks/index.js';
import {
  describeSchedule,
  FaultInjector,
  InvariantMonitor,
  NodeControl,
  snapshotSettings,
  type Schedule,
  type ScheduleResult,
  type SettingsSnapshot,
} from '../../src/sim/chaos/index.js';
import { SimCluster } from '../../src/sim/es/index.js';
import { renderBlocksAsText } from '../../src/sim/slack/render-text.js';
import type { StoredMessage } from '../../src/sim/slack/types.js';
import { startRecordingProxy, type RecordingProxy } from '../support/recording-proxy.js';

/** Where the schedules run: one Redis and one sshd, shared by every schedule. */
export interface ChaosServices {
  redisUrl: string;
  sshd: { port: number; username: string; privateKeyPath: string; knownHostsPath: string };
}

const ALICE = 'U0ALICE';
const BOB = 'U0BOB';
const CAROL = 'U0CAROL';
const CHANNEL = 'C0OPS';

/**
 * The harness's clock: every TICK_REAL_MS of real time the cluster advances TICK_SIM_MS (×250),
 * and the invariants are checked after each step. The bot's own intervals are shrunk to match:
 * it polls every 20 real ms (5 simulated s), a restarted node is back after 80 real ms.
 */
const TICK_REAL_MS = 10;
const TICK_SIM_MS = 2_500;
export const CHAOS_TIMING = {
  pollMs: 20,
  rejoinMs: 3_000,
  leaveMs: 3_000,
  recoveryMs: 6_000,
  sshCommandMs: 1_500,
  esRequestMs: 400,
};
/**
 * The operator's patience and the stuck limit are counted on the simulator's clock, in real
 * milliseconds of a process that had the CPU it asked for: the ticker advances the simulation in
 * the same event loop as the bot's worker, so when other test files starve this process both slow
 * down together. On the wall clock a starved run looked stuck (seeds 24–41 and 170–178 of two
 * suite runs, "job active, 10 s after its approval"), and the schedule's path (cancelled or not)
 * depended on the machine's load; unloaded, the two clocks agree.
 */
const SIM_PER_REAL = TICK_SIM_MS / TICK_REAL_MS;
/** After this much time since the approval the operator gives up and cancels the run. */
const PATIENCE_MS = 4_000;
/** A run still not ended this long after the approval is stuck: reported as such. */
const GIVE_UP_MS = 10_000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let counter = 0;

/** A plan's run started as the Slack handler starts it (alice asks), or the refusal's words. */
async function begin<P extends object>(
  planned: PlanResult<P>,
  engine: Engine,
  policyKey: string,
): Promise<Run | string> {
  if (!planned.ok) return `refused: ${planned.what}${planned.reasons ? ` (${planned.reasons.join('; ')})` : ''}`;
  const { run } = await engine.start(planned.runbook, planned.params, {
    requester: ALICE,
    channel: CHANNEL,
    ...(planned.cluster ? { cluster: planned.cluster } : {}),
    policyKey,
  });
  return run;
}

/** The command of the schedule, planned and started. */
async function request(s: Schedule, deps: PlanDeps, engine: Engine): Promise<Run | string> {
  const key = `es ${s.runbook}`;
  switch (s.runbook) {
    case 'drain':
      return begin(
        await planDrainRun({ node: s.targets[0]!, nodes: s.targets, ...(s.fast ? { fast: true } : {}) }, deps),
        engine,
        key,
      );
    case 'bounce':
      return begin(await planBounce({ nodes: s.targets }, deps), engine, key);
    case 'rolling-restart':
      return begin(await planRollingRestart({ zone: s.zone }, deps), engine, key);
    case 'maintain':
      return begin(await planMaintain({ node: s.targets[0]!, excludeSpot: false }, deps), engine, key);
  }
}

/** opsbot.yaml's fastRecovery for the chaos cluster: 4× the default rate, twice the recoveries. */
const FAST_LIMITS = {
  maxBytesPerSec: '160mb',
  nodeConcurrentIncomingRecoveries: 4,
  nodeConcurrentOutgoingRecoveries: 4,
};

/** How late the watchdog may be: its timer, one Redis write and this harness's next look. */
const WATCHDOG_GRACE_MS = 1_000;

/**
 * Runs one schedule from scratch: its own cluster, simulator, Slack stand-in and bot (engine with
 * its BullMQ worker) on a fresh Redis prefix; node commands over the real sshd to NodeControl.
 * The operator's part is played through the engine's API: bob approves, alice presses Done, and
 * cancels when the run waits past her patience; a run offering Revert is reverted (carol approves).
 */
export async function runSchedule(s: Schedule, services: ChaosServices): Promise<ScheduleResult> {
  const cluster = new SimCluster({ nodes: s.nodes, indices: s.indices, seed: s.seed });
  if (Object.keys(s.before).length) cluster.putSettings({ persistent: s.before });
  const monitor = new InvariantMonitor(cluster);
  const nodes = new NodeControl(cluster, (node, action) => monitor.beforeBotAction(node, action));
  await nodes.start();
  const log: string[] = [];
  let stack: LocalStack | undefined;
  let proxy: RecordingProxy | undefined;
  let clock: NodeJS.Timeout | undefined;
  let outcome = 'refused';
  let unbudgeted = 0;
  let injector: FaultInjector | undefined;
  const begun = Date.now();
  let realMs = 0;
  try {
    stack = await startLocalStack({
      // The bot's reads are timed: a fault after its last look at what it judged by is a race, not its doing.
      esUrl: async (url) => {
        proxy = await startRecordingProxy(url, (r) => {
          if (r.path.startsWith('/_cat/shards')) monitor.sawShardTable();
          if (r.path.startsWith('/_cat/nodes')) monitor.sawNodes();
          if (r.path.startsWith('/_cluster/settings') && r.method === 'GET') monitor.sawSettings();
        });
        return proxy.url;
      },
      redisUrl: services.redisUrl,
      prefix: `chaos${process.pid}-${++counter}-${s.seed}`,
      cluster,
      speed: 0,
      tickMs: 0,
      estate: { approvers: { users: [BOB, CAROL] } },
      drainTiming: { pollMs: CHAOS_TIMING.pollMs, stallAfterMs: 60_000 },
      cardUpdates: { perMessageMs: 1_000, globalGapMs: 0 },
      retry: { baseMs: 20, maxMs: 200, giveUpAfterMs: 3_000 },
      env: { ...process.env, SSH_PRIVATE_KEY_PATH: services.sshd.privateKeyPath },
      localCluster: () => ({
        requestTimeoutMs: CHAOS_TIMING.esRequestMs,
        ssh: {
          user: services.sshd.username,
          port: services.sshd.port,
          knownHosts: services.sshd.knownHostsPath,
          address: 'host',
          commandTimeoutMs: CHAOS_TIMING.sshCommandMs,
        },
        commands: nodes.commands(),
        changes: {},
        // What `--fast` may raise the throttles to (a fast drain's schedule uses them).
        fastRecovery: FAST_LIMITS,
        timeouts: {
          pollMs: CHAOS_TIMING.pollMs,
          rejoinMs: CHAOS_TIMING.rejoinMs,
          leaveMs: CHAOS_TIMING.leaveMs,
          recoveryMs: CHAOS_TIMING.recoveryMs,
        },
      }),
    });
    const { engine } = stack.bot;
    const said = (m: StoredMessage) => monitor.claim('run', renderBlocksAsText(m.blocks, m.text ?? ''));
    stack.slack.on('message', said);
    stack.slack.on('update', said);
    const sim = stack.es;
    const inj = new FaultInjector({ cluster, monitor, nodes, simUrl: sim.url }, s.faults);
    injector = inj;
    clock = setInterval(() => {
      cluster.advance(TICK_SIM_MS);
      monitor.check();
      inj.tick();
      monitor.check();
    }, TICK_REAL_MS);

    const before: SettingsSnapshot = snapshotSettings(cluster);
    const run = await request(s, stack.bot.plans, engine).catch((e: unknown) => `refused: ${String(e)}`);
    if (typeof run === 'string') log.push(run);
    else outcome = await drive(run.id, before);
    realMs = Date.now() - begun;
    return result();
  } finally {
    if (clock) clearInterval(clock);
    await injector?.settle();
    await stack?.close();
    await proxy?.close();
    await nodes.close();
  }

  /** Plays the operator until the run has ended; checks I3, I4 and I5 on the way. */
  async function drive(runId: string, before: SettingsSnapshot): Promise<string> {
    const engine = stack!.bot.engine;
    const startedAt = Date.now();
    const startedSim = cluster.now;
    let approvals = 0;
    let cancelled = false;
    let revert: { beforeRevert: SettingsSnapshot; writes: number } | undefined;
    let endedAs: string | undefined;
    /**
     * How long something that began at `since` (the engine's wall clock) has had: the wall clock up
     * to this harness's first look at it, the simulator's clock after (see SIM_PER_REAL). The
     * watchdog's timer runs in the same starved event loop as this harness: a step is past its
     * budget, for I5, once both clocks say so (seed 82 in a suite run: "ran 5600 ms, past its
     * 5540 ms budget", the alarm not yet written in a process that had had far less time).
     */
    const firstLook = new Map<string, { wall: number; sim: number }>();
    function timeHad(key: string, since: number): number {
      let seen = firstLook.get(key);
      if (!seen) firstLook.set(key, (seen = { wall: Date.now(), sim: cluster.now }));
      const sim = seen.wall - since + (cluster.now - seen.sim) / SIM_PER_REAL;
      return Math.round(Math.min(Date.now() - since, sim));
    }

    for (;;) {
      const run = await engine.getRun(runId);
      if (!run) return 'vanished';
      // Time the run had since the approval (see SIM_PER_REAL), and on the wall clock for the reader.
      const waited = Math.round((cluster.now - startedSim) / SIM_PER_REAL);
      const wall = Date.now() - startedAt;
      // I5: a step past its budget (StepRecord.budgetMs, set as it starts) carries the watchdog's
      // alarm; a pause past its deadline says it is overdue.
      for (const step of run.steps) {
        if (step.budgetMs !== undefined && step.startedAt !== undefined && step.endedAt === undefined) {
          const ran = timeHad(`${step.id}@${step.startedAt}`, step.startedAt);
          monitor.overBudget(step.id, ran, step.budgetMs + WATCHDOG_GRACE_MS, step.overdue ? ['overdue'] : []);
        }
        const p = step.pause;
        if (p?.deadlineAt !== undefined && !step.resumed && run.status === 'paused') {
          monitor.overBudget(
            `${step.id} (pause)`,
            timeHad(`${step.id} pause@${p.at}`, p.at),
            p.deadlineAt - p.at + WATCHDOG_GRACE_MS,
            p.overdueSince !== undefined ? ['overdue'] : [],
          );
        }
      }
      switch (run.status) {
        case 'awaiting_approval':
          if (run.phase === 'undo') await engine.approve(runId, CAROL);
          else if (approvals++ < 5) {
            await engine.approve(runId, BOB);
            if (approvals === 1) injector!.arm();
          } else return 'not approvable';
          break;
        case 'paused':
          if (waited > 200) await engine.resume(runId, ALICE);
          break;
        case 'failed':
        case 'cancelled':
          if (!endedAs) {
            endedAs = run.status;
            log.push(`${run.status} at ${run.cursor ?? '?'}: ${run.error ?? ''}`.trim());
            monitor.settled(before, run.status, raisedAlarms(run));
          } else if (revert) {
            // The revert itself failed (an undo step could not put a value back): what is left must show.
            log.push(`revert failed at ${run.cursor ?? '?'}: ${run.error ?? ''}`.trim());
            monitor.settled(before, `${endedAs}, then its revert failed,`, raisedAlarms(run));
            return `${endedAs}+revert failed`;
          }
          if (run.undoOffer && !run.undoOffer.decided && !revert) {
            revert = { beforeRevert: snapshotSettings(cluster), writes: monitor.botWrites.length };
            const r = await engine.revert(runId, ALICE);
            if (!r.ok) log.push(`Revert refused: ${r.reason}`);
          } else if (!run.undoOffer || run.undoOffer.decided?.choice === 'keep') {
            return run.status;
          }
          break;
        case 'reverted':
          monitor.settled(before, run.status, raisedAlarms(run));
          if (revert) monitor.reverted(before, revert.beforeRevert, revert.writes);
          return `${endedAs ?? 'ended'}+reverted`;
        case 'succeeded':
        case 'denied':
        case 'expired':
          monitor.settled(before, run.status, raisedAlarms(run));
          return run.status;
        default:
          if (!cancelled && waited > PATIENCE_MS) {
            cancelled = true;
            // The operator loses patience (I5 itself is checked above, on the step budgets and pause
            // deadlines): counted, so the tally says how many runs ended by a cancel.
            unbudgeted++;
            log.push(`cancelled by the operator after ${waited} ms at ${run.cursor ?? '?'} (${run.status})`);
            await engine.cancel(runId, ALICE);
          }
      }
      if (waited > GIVE_UP_MS) {
        // Where the run's job is (waiting, active, delayed and until when), for the replay's reader.
        const job = await engine.queue.getJob(runId);
        const state = job ? await job.getState() : 'missing';
        const due = job && state === 'delayed' ? `, due in ${job.timestamp + job.delay - Date.now()} ms` : '';
        monitor.violations.push({
          invariant: 'I5',
          atMs: cluster.now,
          what:
            `run still ${run.status} at ${run.cursor ?? '?'} ${waited} ms (${wall} ms on the wall clock) ` +
            'after its approval ' +
            `(its job: ${state}${due}; undo offer ${offerState(run)})`,
        });
        return 'stuck';
      }
      await sleep(10);
    }
  }

  function result(): ScheduleResult {
    const applied = injector?.applied ?? [];
    const report = [
      describeSchedule(s),
      `  outcome: ${outcome} (${realMs} real ms, ${cluster.now} simulated ms)`,
      ...log.map((l) => `  ${l}`),
      ...applied.map((a) => `  applied ${a}`),
      `  node commands: ${nodes.actions.join(', ') || 'none'}`,
      ...monitor.races.map((r) => `  race (not counted against the bot): ${r}`),
      ...monitor.violations.map((v) => `  VIOLATION ${v.invariant} at t=${v.atMs}ms: ${v.what}`),
      `  replay: npm run chaos -- --seed ${s.seed}`,
    ].join('\n');
    return {
      seed: s.seed,
      runbook: s.runbook,
      ...(s.runbook === 'drain' && (s.fast || s.targets.length > 1)
        ? { variant: `drain${s.targets.length > 1 ? ` ×${s.targets.length}` : ''}${s.fast ? ' --fast' : ''}` }
        : {}),
      faults: s.faults.map((f) => f.kind),
      outcome,
      checks: { ...monitor.checks },
      unbudgeted,
      races: monitor.races.length,
      violations: [...monitor.violations],
      report,
    };
  }
}

const offerState = (run: { undoOffer?: { decided?: unknown } }) =>
  run.undoOffer ? (run.undoOffer.decided ? 'decided' : 'open') : 'none';
