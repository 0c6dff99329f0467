import type { Step, StepContext, StepOutcome } from '../../engine/index.js';
import { duration, escapeMrkdwn } from '../../format.js';
import {
  describeShards,
  judgeEmpty,
  lastCopiesOn,
  readNodePresence,
  readShardCopies,
  type NodePresence,
} from '../../targets/elasticsearch/index.js';
import { redSummary, watchRed, type RedWatch } from '../es-red-watch.js';
import type { MaintenanceDeps } from './maintenance-deps.js';
import type { MaintenanceParams } from './maintenance-params.js';
import type { NodeRef } from './node-ref.js';
import { nodeShell, renderNodeCommand, tail } from './node-shell.js';
import { SSH_DEFAULTS } from '../../targets/ssh/index.js';

/** What a node step remembers between looks (persisted by the engine after every call). */
interface NodeStepState extends RedWatch {
  uptimeBefore?: number;
  /** JVM start time before the restart was sent; null: present but unreadable (then only absence proves it). */
  jvmStartedBefore?: number | null;
  sentAt?: number;
  seenAbsent?: boolean;
}

type NodeAction = 'stop' | 'start' | 'restart';

/** What the helpers below need of a node step's context (any state). */
type Ctx = StepContext<MaintenanceParams, object>;

/**
 * Runs the node's stop/start/restart template over SSH. A non-zero exit fails the step with the
 * output; the output's last lines go to the thread either way.
 */
async function sendCommand(
  deps: MaintenanceDeps,
  ctx: Ctx,
  node: NodeRef,
  action: NodeAction | { change: string },
  /** Judged again once the connection is up, right before the command is sent (I1). */
  gate?: () => Promise<StepOutcome | undefined>,
): Promise<StepOutcome | undefined> {
  const params = ctx.params;
  const cfg = deps.estate.clusters[params.cluster]!;
  const template = typeof action === 'string' ? cfg.commands[action] : cfg.changes[action.change];
  if (!template)
    return {
      status: 'fail',
      reason:
        `no command "${typeof action === 'string' ? action : action.change}" ` +
        `for cluster ${params.cluster} in opsbot.yaml`,
    };
  // Aborted by a cancel (ctx.cancelSignal): the command is ended on the node too. A worker's
  // shutdown lets it finish, and its result is checkpointed before the process exits.
  const shell = nodeShell(cfg, deps.sshKey, node, ctx.cancelSignal);
  const command = renderNodeCommand(template, node);
  const deadlineMs = cfg.ssh.commandTimeoutsMs[typeof action === 'string' ? action : action.change];
  let last = '';
  let refused: StepOutcome | undefined;
  const ready = async () => {
    refused = await gate?.();
    if (refused) throw new Error('the gate refused the command');
  };
  let r;
  try {
    r = await shell.runTemplate(command, {
      ...(deadlineMs ? { deadlineMs } : {}),
      ...(gate ? { ready } : {}),
      onStdout: (c) => {
        last = c.trim().split('\n').pop() ?? last;
        void ctx.progress({ text: `${node.name}: \`${command}\` … ${escapeMrkdwn(last.slice(0, 200))}` });
      },
    });
  } catch (err) {
    // The facts changed while connecting (a crash elsewhere left the node the last copy): nothing sent.
    if (refused) return refused;
    throw err;
  }
  const out = escapeMrkdwn(tail([r.stdout, r.stderr].filter(Boolean).join('\n')));
  if (r.code !== 0)
    return {
      status: 'fail',
      reason: `\`${command}\` on ${shell.where} exited with ${r.code}${out ? `:\n\`\`\`${out}\`\`\`` : ''}`,
    };
  if (out) await ctx.note(`\`${command}\` on ${node.name}:\n\`\`\`${out}\`\`\``);
  return undefined;
}

async function showNode(
  deps: MaintenanceDeps,
  ctx: StepContext<MaintenanceParams, RedWatch>,
  node: NodeRef,
  state: string,
): Promise<void> {
  const h = await deps.clusters.get(ctx.params.cluster).health();
  await watchRed(ctx, h);
  await ctx.progress({
    text: `${node.name} (${node.ip}): ${state}`,
    fields: {
      Node: node.name,
      State: state,
      Health: h.status,
      Unassigned: String(h.unassigned),
      Initializing: String(h.initializing),
    },
  });
}

const timeouts = (deps: MaintenanceDeps, ctx: Ctx) => deps.estate.clusters[ctx.params.cluster]!.timeouts;

/**
 * The watchdog's budget of a node step (I5): the command's own deadline plus the cluster's wait
 * for the node (to rejoin, or to leave), with a poll to spare. The step fails at its timeout
 * anyway; the budget is there for a call that hangs however it is bounded.
 */
function nodeStepBudget(deps: MaintenanceDeps, action: NodeAction, wait: 'rejoinMs' | 'leaveMs') {
  return (p: MaintenanceParams): number => {
    const cfg = deps.estate.clusters[p.cluster]!;
    const command = cfg.ssh.commandTimeoutsMs[action] ?? cfg.ssh.commandTimeoutMs ?? SSH_DEFAULTS.commandTimeoutMs;
    return command + cfg.timeouts[wait] + 2 * cfg.timeouts.pollMs;
  };
}

/**
 * I1, the gate before a node stops or restarts: no shard may have its only active copy there (a
 * `number_of_replicas: 0` index, or a replica not rebuilt yet). Read right before the command.
 */
async function lastCopyGate(
  deps: MaintenanceDeps,
  ctx: Ctx,
  node: NodeRef,
  verb: string,
): Promise<StepOutcome | undefined> {
  const copies = await readShardCopies(deps.clusters.get(ctx.params.cluster));
  const last = lastCopiesOn(copies, [node.name]);
  if (!last.length) return undefined;
  return {
    status: 'fail',
    reason:
      `not sent: ${verb} ${node.name} would take the only active copy of ${last.length} shard` +
      `${last.length === 1 ? '' : 's'} offline (${describeShards(last)}). Nothing was sent to the node. ` +
      'Wait until their replicas are started (/es status), give those indices a replica ' +
      '(PUT INDEX/_settings {"index.number_of_replicas": 1}), or drain the node first (/es drain)',
  };
}

/**
 * A restart is proven by the node being present with another JVM than before (its start time
 * changed), or by the node having been seen gone. An uptime that merely dropped proves nothing
 * when the node had started shortly before; it is the rule only for a state recorded before JVM
 * start times were (no `jvmStartedBefore`). Unreadable start times: not proven (fail closed).
 */
function restarted(st: NodeStepState, now: NodePresence): boolean {
  if (!now.present) return false;
  if (st.seenAbsent) return true;
  if (st.jvmStartedBefore === null) return false;
  if (st.jvmStartedBefore !== undefined)
    return now.jvmStartedAt !== undefined && now.jvmStartedAt !== st.jvmStartedBefore;
  return st.uptimeBefore !== undefined && now.uptimeMs !== undefined && now.uptimeMs < st.uptimeBefore;
}

/**
 * A restart said (StepRecord.intent) but not recorded as sent: the worker died, or lost the run,
 * between the two. The node tells what happened: gone, or another JVM than before, and the
 * restart landed; the same JVM `leaveMs` after the intent, and it never did (sent again). Start
 * times unreadable: nothing can tell, and nothing is sent twice on a guess (fail).
 */
function restartOutcome(
  deps: MaintenanceDeps,
  ctx: StepContext<MaintenanceParams, NodeStepState>,
  node: NodeRef,
  now: NodePresence,
  intentAt: number,
): 'landed' | 'not-yet' | 'never' | StepOutcome {
  const st = ctx.state;
  if (!now.present || restarted(st, now)) return 'landed';
  if (st.jvmStartedBefore === null || now.jvmStartedAt === undefined)
    return {
      status: 'fail',
      reason:
        `a restart of ${node.name} was about to be sent when the worker sending it stopped, and its JVM ` +
        'start time cannot be read to tell whether it landed: nothing was sent again. Look at the node ' +
        '(/es status, its uptime), restart it by hand if needed, then request the run again',
    };
  return ctx.now() - intentAt < timeouts(deps, ctx).leaveMs ? 'not-yet' : 'never';
}

/**
 * "Restart node-3" over SSH, then wait until it has rejoined. Intent before effect: the restart
 * is recorded as about to be sent (with the JVM start time it is judged by) right before the
 * command, once the SSH connection is up; a later call that finds the intent without `sentAt`
 * looks at the node before sending anything again (restartOutcome).
 */
export function restartNode(deps: MaintenanceDeps, node: NodeRef): Step<MaintenanceParams, NodeStepState> {
  return {
    id: `restart-${node.name}`,
    title: `Restart ${node.name}`,
    destructive: true,
    budgetMs: nodeStepBudget(deps, 'restart', 'rejoinMs'),
    async run(ctx): Promise<StepOutcome> {
      const st = ctx.state;
      const cluster = deps.clusters.get(ctx.params.cluster);
      const now = await readNodePresence(cluster, node.name);
      if (!now.present) st.seenAbsent = true;
      const intent = ctx.step.intent;
      if (st.sentAt === undefined && intent) {
        const seen = restartOutcome(deps, ctx, node, now, intent.at);
        if (typeof seen === 'object') return seen;
        if (seen === 'not-yet') {
          await showNode(deps, ctx, node, 'restart sent before a worker restart; watching whether it lands');
          return { status: 'wait', recheckInMs: timeouts(deps, ctx).pollMs };
        }
        if (seen === 'landed') {
          st.sentAt = intent.at;
          await ctx.note(
            `${node.name}: the restart sent before a worker restart took effect ` +
              `(${now.present ? 'another JVM is running' : 'the node left the cluster'}); not sent again.`,
            { once: `restart-landed:${node.name}:${intent.at}` },
          );
        }
      }
      if (st.sentAt === undefined) {
        st.uptimeBefore = now.present ? now.uptimeMs : undefined;
        st.jvmStartedBefore = now.jvmStartedAt ?? null;
        if (!now.present) st.seenAbsent = true;
        const unsafe = await lastCopyGate(deps, ctx, node, 'restarting');
        if (unsafe) return unsafe;
        await showNode(deps, ctx, node, 'stopping');
        const failed = await sendCommand(deps, ctx, node, 'restart', async () => {
          const refused = await lastCopyGate(deps, ctx, node, 'restarting');
          if (!refused) await ctx.intent(`restart ${node.name}`);
          return refused;
        });
        if (failed) return failed;
        st.sentAt = ctx.now();
        return { status: 'wait', recheckInMs: timeouts(deps, ctx).pollMs };
      }
      if (restarted(st, now)) {
        // A red moment that began while the node was away is closed (and said) before moving on.
        await watchRed(ctx, await cluster.health());
        return {
          status: 'done',
          summary: `${node.name} rejoined the cluster after ${duration(ctx.now() - st.sentAt)}${redSummary(ctx)}`,
        };
      }
      await showNode(deps, ctx, node, now.present ? 'stopping' : 'down');
      if (ctx.now() - st.sentAt > timeouts(deps, ctx).rejoinMs) {
        return {
          status: 'fail',
          reason:
            `${node.name} did not rejoin the cluster within ${duration(timeouts(deps, ctx).rejoinMs)} ` +
            'of its restart',
        };
      }
      return { status: 'wait', recheckInMs: timeouts(deps, ctx).pollMs };
    },
  };
}

/**
 * "Stop node" over SSH, then wait until it has left the cluster. Already gone: nothing sent.
 * `drained`: the exclusion that emptied the node (maintain): emptiness is judged again right
 * before the command, fail-closed, as the drain's own verdict does (I2).
 */
export function stopNode(
  deps: MaintenanceDeps,
  node: NodeRef,
  drained?: { key: string; value: string },
): Step<MaintenanceParams, NodeStepState> {
  return {
    id: `stop-${node.name}`,
    title: `Stop ${node.name}`,
    destructive: true,
    budgetMs: nodeStepBudget(deps, 'stop', 'leaveMs'),
    async run(ctx): Promise<StepOutcome> {
      const st = ctx.state;
      const now = await readNodePresence(deps.clusters.get(ctx.params.cluster), node.name);
      if (!now.present) return { status: 'done', summary: `${node.name} is stopped (out of the cluster)` };
      if (st.sentAt === undefined) {
        if (drained) {
          const verdict = await judgeEmpty(deps.clusters.get(ctx.params.cluster), node.name, drained);
          if (!verdict.empty)
            return {
              status: 'fail',
              reason:
                `not sent: ${node.name} is not empty any more (${verdict.reason}). Nothing was sent to the node. ` +
                'Look at /es status; press Revert to allow shards back, ' +
                'or request /es maintain again once it is drained',
            };
        }
        const unsafe = await lastCopyGate(deps, ctx, node, 'stopping');
        if (unsafe) return unsafe;
        await showNode(deps, ctx, node, 'stopping');
        const failed = await sendCommand(deps, ctx, node, 'stop', () => lastCopyGate(deps, ctx, node, 'stopping'));
        if (failed) return failed;
        st.sentAt = ctx.now();
      } else if (ctx.now() - st.sentAt > timeouts(deps, ctx).leaveMs) {
        return {
          status: 'fail',
          reason:
            `${node.name} is still in the cluster ${duration(timeouts(deps, ctx).leaveMs)} ` + 'after its stop command',
        };
      }
      return { status: 'wait', recheckInMs: timeouts(deps, ctx).pollMs };
    },
  };
}

/** "Start node" over SSH, then wait until it has rejoined. Already back: nothing sent. */
export function startNode(deps: MaintenanceDeps, node: NodeRef): Step<MaintenanceParams, NodeStepState> {
  return {
    id: `start-${node.name}`,
    title: `Start ${node.name}`,
    destructive: true,
    budgetMs: nodeStepBudget(deps, 'start', 'rejoinMs'),
    async run(ctx): Promise<StepOutcome> {
      const st = ctx.state;
      const now = await readNodePresence(deps.clusters.get(ctx.params.cluster), node.name);
      if (now.present) return { status: 'done', summary: `${node.name} is back in the cluster` };
      await showNode(deps, ctx, node, 'down');
      if (st.sentAt === undefined) {
        const failed = await sendCommand(deps, ctx, node, 'start');
        if (failed) return failed;
        st.sentAt = ctx.now();
      } else if (ctx.now() - st.sentAt > timeouts(deps, ctx).rejoinMs) {
        return {
          status: 'fail',
          reason:
            `${node.name} did not rejoin the cluster within ${duration(timeouts(deps, ctx).rejoinMs)} ` +
            'of its start',
        };
      }
      return { status: 'wait', recheckInMs: timeouts(deps, ctx).pollMs };
    },
  };
}

/**
 * "Perform changes" while the node is stopped: a named change from opsbot.yaml runs over SSH, or
 * the run pauses until the requester or an approver presses Done.
 */
export function performChanges(deps: MaintenanceDeps, node: NodeRef, change?: string): Step<MaintenanceParams> {
  return {
    id: 'perform-changes',
    title: change ? `Perform changes: ${change}` : 'Perform changes',
    destructive: change !== undefined,
    async run(ctx): Promise<StepOutcome> {
      if (change) {
        const failed = await sendCommand(deps, ctx, node, { change });
        return failed ?? { status: 'done', summary: `${change} ran on ${node.name}` };
      }
      if (ctx.resumed) return { status: 'done', summary: `changes done, confirmed by <@${ctx.resumed.by}>` };
      return {
        status: 'pause',
        prompt: `${node.name} is stopped: perform your changes, then press Done.`,
        action: 'done',
      };
    },
  };
}
