import type { EsCommand } from '../../commands/es-commands.js';
import { drainParams } from '../../runbooks/index.js';
import type { NodeRef } from '../../runbooks/es-maintenance/node-ref.js';
import {
  compareSettings,
  ENABLE_KEY,
  excludeKey,
  planDrain,
  UnknownNodeError,
  type ClusterReader,
  type NodeRow,
} from '../../targets/elasticsearch/index.js';
import { drainRefusedView } from '../views/drain-plan-view.js';
import { problemView } from '../views/error-view.js';
import type { CommandContext } from './context.js';
import { startRun } from './run-request.js';

type Cmd<N extends EsCommand['name']> = Extract<EsCommand, { name: N }>;

const ref = (n: NodeRow): NodeRef => ({ name: n.name, ip: n.ip, host: n.host, ...(n.zone ? { zone: n.zone } : {}) });

/** A transient value of `key` would make our persistent change ineffective: say so, with the fix. */
async function transientBlock(cluster: ClusterReader, keys: string[]): Promise<string | undefined> {
  const rows = compareSettings(await cluster.settings(), (k) => keys.includes(k)).filter(
    (r) => r.transient !== undefined,
  );
  if (!rows.length) return undefined;
  return rows
    .map(
      (r) =>
        `transient ${r.key} = "${r.transient}" overrides the persistent setting this changes: clear it first (PUT _cluster/settings {"transient": {"${r.key}": null}})`,
    )
    .join('\n');
}

async function start(
  ctx: CommandContext,
  runbook: string,
  cluster: string,
  params: Record<string, unknown>,
): Promise<void> {
  await startRun(ctx, runbook, params, cluster);
}

/** `/es bounce NODE...`: every node checked against the cluster's own list before anything is planned. */
export async function requestBounce(cmd: Cmd<'es.bounce'>, ctx: CommandContext): Promise<void> {
  const cluster = ctx.clusters.get(cmd.cluster);
  const [{ nodes }, health] = await Promise.all([cluster.nodes(), cluster.health()]);
  const chosen = cmd.nodes.map((name) => nodes.find((n) => n.name === name) ?? name);
  const unknown = chosen.find((n): n is string => typeof n === 'string');
  if (unknown)
    throw new UnknownNodeError(
      unknown,
      nodes.map((n) => n.name),
    );
  const blocked = await transientBlock(cluster, [ENABLE_KEY]);
  if (blocked) return ctx.reply.toRequester(problemView(`Cannot bounce: ${blocked}`));
  await start(ctx, 'es.bounce', cluster.name, {
    cluster: cluster.name,
    nodes: (chosen as NodeRow[]).map(ref),
    baselineHealth: health.status,
  });
}

/** `/es rolling-restart [--zone Z]`: all nodes (of the zone), never while red. */
export async function requestRollingRestart(cmd: Cmd<'es.rolling-restart'>, ctx: CommandContext): Promise<void> {
  const cluster = ctx.clusters.get(cmd.cluster);
  const [{ nodes }, health] = await Promise.all([cluster.nodes(), cluster.health()]);
  const chosen = cmd.zone ? nodes.filter((n) => n.zone === cmd.zone) : nodes;
  if (!chosen.length) {
    const zones = [...new Set(nodes.map((n) => n.zone).filter(Boolean))].join(', ');
    return ctx.reply.toRequester(
      problemView(`No node has zone "${cmd.zone}" in cluster ${cluster.name}; zones are: ${zones || 'none set'}.`),
    );
  }
  if (health.status === 'red')
    return ctx.reply.toRequester(
      problemView(
        `Cannot start a rolling restart: cluster ${cluster.name} is red (${health.unassigned} unassigned). Fix that first; /es bounce restarts chosen nodes.`,
      ),
    );
  const blocked = await transientBlock(cluster, [ENABLE_KEY]);
  if (blocked) return ctx.reply.toRequester(problemView(`Cannot restart: ${blocked}`));
  await start(ctx, 'es.rolling-restart', cluster.name, {
    cluster: cluster.name,
    nodes: chosen.map(ref),
    baselineHealth: health.status,
    ...(cmd.zone ? { zone: cmd.zone } : {}),
  });
}

/** `/es maintain NODE [--change NAME] [--exclude-spot]`: the drain's plan and refusals, then the whole procedure. */
export async function requestMaintain(cmd: Cmd<'es.maintain'>, ctx: CommandContext): Promise<void> {
  const cluster = ctx.clusters.get(cmd.cluster);
  const cfg = ctx.estate.clusters[cluster.name]!;
  if (cmd.change && !(cmd.change in cfg.changes)) {
    const known = Object.keys(cfg.changes);
    return ctx.reply.toRequester(
      problemView(
        `No change named "${cmd.change}" for cluster ${cluster.name}.`,
        known.length
          ? `Known changes: ${known.join(', ')} (opsbot.yaml, clusters.${cluster.name}.changes).`
          : `Register one under clusters.${cluster.name}.changes in opsbot.yaml, or leave --change out to pause for a manual change.`,
      ),
    );
  }
  const plan = await planDrain(cluster, cmd.node, cfg.excludeBy);
  const blocked = await transientBlock(cluster, [ENABLE_KEY, ...(cmd.excludeSpot ? [excludeKey('zone')] : [])]);
  if (blocked) plan.refusals.push(blocked);
  if (plan.refusals.length) return ctx.reply.toRequester(drainRefusedView(plan));
  await start(ctx, 'es.maintain', cluster.name, {
    ...drainParams(plan),
    nodes: [ref(plan.node)],
    ...(cmd.change ? { change: cmd.change } : {}),
    excludeSpot: cmd.excludeSpot,
  });
}

/** `/es allocation none|primaries|new_primaries|all`. */
export async function requestAllocation(cmd: Cmd<'es.allocation'>, ctx: CommandContext): Promise<void> {
  const cluster = ctx.clusters.get(cmd.cluster);
  const blocked = await transientBlock(cluster, [ENABLE_KEY]);
  if (blocked) return ctx.reply.toRequester(problemView(`Cannot change allocation: ${blocked}`));
  const health = await cluster.health();
  await start(ctx, 'es.allocation', cluster.name, {
    cluster: cluster.name,
    nodes: [],
    baselineHealth: health.status,
    enable: cmd.enable,
  });
}

/** `/es exclude-zone Z` / `/es include-zone Z`: the zone must be one the nodes carry. */
export async function requestZone(
  cmd: Cmd<'es.exclude-zone'> | Cmd<'es.include-zone'>,
  ctx: CommandContext,
): Promise<void> {
  const cluster = ctx.clusters.get(cmd.cluster);
  const [{ nodes }, health] = await Promise.all([cluster.nodes(), cluster.health()]);
  const zones = [...new Set(nodes.map((n) => n.zone).filter((z): z is string => Boolean(z)))];
  if (cmd.name === 'es.exclude-zone' && !zones.includes(cmd.zone)) {
    return ctx.reply.toRequester(
      problemView(
        `No node has zone "${cmd.zone}" in cluster ${cluster.name}; zones are: ${zones.join(', ') || 'none set'}.`,
      ),
    );
  }
  if (cmd.name === 'es.exclude-zone' && nodes.every((n) => n.zone === cmd.zone)) {
    return ctx.reply.toRequester(
      problemView(
        `Every node of cluster ${cluster.name} is in zone ${cmd.zone}: excluding it would leave shards nowhere to go.`,
      ),
    );
  }
  const blocked = await transientBlock(cluster, [excludeKey('zone')]);
  if (blocked) return ctx.reply.toRequester(problemView(`Cannot change zone exclusions: ${blocked}`));
  await start(ctx, cmd.name, cluster.name, {
    cluster: cluster.name,
    nodes: nodes.filter((n) => n.zone === cmd.zone).map(ref),
    baselineHealth: health.status,
    zone: cmd.zone,
  });
}
