import { readFastPlan } from '../es-drain/fast-plan.js';
import type { Estate } from '../../config/estate.js';
import {
  compareSettings,
  ENABLE_KEY,
  excludeKey,
  describeShards,
  lastCopiesOn,
  planDrain,
  readAllocationFacts,
  splitList,
  UnknownNodeError,
  type AllocationEnable,
  type ClusterReader,
  type Clusters,
  type NodeRow,
} from '../../targets/elasticsearch/index.js';
import { drainParams } from '../es-drain/drain-params.js';
import { exclusionPrecheck, restartVerdict, type ListAdditions } from '../es-feasibility/index.js';
import { planned, refuse, type PlanResult, type Refusal } from '../plan.js';
import {
  allocation,
  bounce,
  excludeZoneRun,
  includeZoneRun,
  maintain,
  rollingRestart,
  type AllocationParams,
  type MaintainParams,
  type MaintenanceParams,
  type RollingRestartParams,
  type ZoneParams,
} from './maintenance-params.js';
import type { NodeRef } from './node-ref.js';

export interface MaintenancePlanDeps {
  clusters: Clusters;
  estate: Estate;
}

const NOTHING = 'Nothing was changed.';
const ref = (n: NodeRow): NodeRef => ({ name: n.name, ip: n.ip, host: n.host, ...(n.zone ? { zone: n.zone } : {}) });

/** A transient value of `keys` would make our persistent change ineffective: say so, with the fix. */
async function transientBlock(cluster: ClusterReader, keys: string[]): Promise<string | undefined> {
  const rows = compareSettings(await cluster.settings(), (k) => keys.includes(k)).filter(
    (r) => r.transient !== undefined,
  );
  if (!rows.length) return undefined;
  return rows
    .map(
      (r) =>
        `transient ${r.key} = "${r.transient}" overrides the persistent setting this changes: ` +
        `clear it first (PUT _cluster/settings {"transient": {"${r.key}": null}})`,
    )
    .join('\n');
}

/**
 * What a node-by-node restart must know before it starts: it refuses a red cluster, any node
 * that alone holds the only active copy of a shard (a `number_of_replicas: 0` index), and a
 * restarted node above the low watermark whose copies (which ES will not put back on it) fit
 * nowhere else, naming the shards and the fix; it records the baseline the waits between nodes
 * compare with, and the precheck's note for the card.
 */
async function restartPreflight(
  cluster: ClusterReader,
  nodes: NodeRow[],
  verb: string,
): Promise<{
  refusal?: Refusal;
  baseline: Pick<
    MaintenanceParams,
    'baselineHealth' | 'baselineUnassigned' | 'enableBefore' | 'zonesExcludedBefore' | 'feasibility'
  >;
}> {
  const [health, before, facts] = await Promise.all([
    cluster.health(),
    valuesBefore(cluster),
    readAllocationFacts(cluster),
  ]);
  const { copies } = facts;
  const precheck = restartVerdict(
    facts,
    nodes.map((n) => n.name),
  );
  const baseline = {
    baselineHealth: health.status,
    baselineUnassigned: health.unassigned,
    ...before,
    feasibility: precheck.note,
  };
  if (health.status === 'red') {
    return {
      baseline,
      refusal: refuse(
        `Cannot ${verb}: cluster ${cluster.name} is red (${health.unassigned} unassigned).`,
        'Restarting nodes of a red cluster can lose the copies it still has. Fix the red indices first (/es status).',
      ),
    };
  }
  const lastCopies = nodes.flatMap((n) => {
    const last = lastCopiesOn(copies, [n.name]);
    return last.length
      ? [
          `${n.name} holds the only active copy of ${last.length} shard${last.length === 1 ? '' : 's'} ` +
            `(${describeShards(last)}): restarting it takes them offline`,
        ]
      : [];
  });
  if (lastCopies.length)
    return {
      baseline,
      refusal: refuse(
        `Cannot ${verb}`,
        'Give those indices a replica (PUT INDEX/_settings {"index.number_of_replicas": 1}) and wait for green, ' +
          'or drain the node first (/es drain NODE).',
        lastCopies,
      ),
    };
  if (precheck.refusals.length) return { baseline, refusal: refuse(`Cannot ${verb}`, NOTHING, precheck.refusals) };
  return { baseline };
}

/** The persistent values a run may change and its undo must put back exactly (I4). */
async function valuesBefore(
  cluster: ClusterReader,
): Promise<Pick<MaintenanceParams, 'enableBefore' | 'zonesExcludedBefore'>> {
  const { persistent } = await cluster.settings();
  const enableBefore = persistent[ENABLE_KEY];
  return {
    ...(enableBefore !== undefined ? { enableBefore } : {}),
    zonesExcludedBefore: splitList(persistent[excludeKey('zone')]),
  };
}

const zonesOf = (nodes: NodeRow[]) => [...new Set(nodes.map((n) => n.zone).filter((z): z is string => Boolean(z)))];

/** `/es bounce NODE...`: every node checked against the cluster's own list before anything is planned. */
export async function planBounce(
  req: { nodes: string[]; cluster?: string | undefined },
  deps: MaintenancePlanDeps,
): Promise<PlanResult<MaintenanceParams>> {
  const cluster = deps.clusters.get(req.cluster);
  const { nodes } = await cluster.nodes();
  const chosen: NodeRow[] = [];
  for (const name of req.nodes) {
    const node = nodes.find((n) => n.name === name);
    if (!node)
      throw new UnknownNodeError(
        name,
        nodes.map((n) => n.name),
      );
    chosen.push(node);
  }
  const blocked = await transientBlock(cluster, [ENABLE_KEY]);
  if (blocked) return refuse(`Cannot bounce: ${blocked}`, NOTHING);
  const { refusal, baseline } = await restartPreflight(cluster, chosen, `bounce ${req.nodes.join(', ')}`);
  if (refusal) return refusal;
  return planned(bounce, { cluster: cluster.name, nodes: chosen.map(ref), ...baseline }, cluster.name);
}

/** `/es rolling-restart [--zone Z]`: all nodes (of the zone), never while red. */
export async function planRollingRestart(
  req: { zone?: string | undefined; cluster?: string | undefined },
  deps: MaintenancePlanDeps,
): Promise<PlanResult<RollingRestartParams>> {
  const cluster = deps.clusters.get(req.cluster);
  const [{ nodes }, health] = await Promise.all([cluster.nodes(), cluster.health()]);
  const chosen = req.zone ? nodes.filter((n) => n.zone === req.zone) : nodes;
  if (!chosen.length) {
    const zones = zonesOf(nodes).join(', ');
    return refuse(
      `No node has zone "${req.zone}" in cluster ${cluster.name}; zones are: ${zones || 'none set'}.`,
      'Ask again with one of those zones.',
    );
  }
  if (health.status === 'red') {
    return refuse(
      `Cannot start a rolling restart: cluster ${cluster.name} is red (${health.unassigned} unassigned).`,
      'Fix that first; /es bounce restarts chosen nodes.',
    );
  }
  const blocked = await transientBlock(cluster, [ENABLE_KEY]);
  if (blocked) return refuse(`Cannot restart: ${blocked}`, NOTHING);
  const { refusal, baseline } = await restartPreflight(cluster, chosen, 'start a rolling restart');
  if (refusal) return refusal;
  const params: RollingRestartParams = {
    cluster: cluster.name,
    nodes: chosen.map(ref),
    ...baseline,
    ...(req.zone ? { zone: req.zone } : {}),
  };
  return planned(rollingRestart, params, cluster.name);
}

/** `/es maintain NODE [--change NAME] [--exclude-spot]`: the drain's plan and refusals, then the whole procedure. */
export async function planMaintain(
  req: {
    node: string;
    change?: string | undefined;
    excludeSpot: boolean;
    fast?: boolean;
    cluster?: string | undefined;
  },
  deps: MaintenancePlanDeps,
): Promise<PlanResult<MaintainParams>> {
  const cluster = deps.clusters.get(req.cluster);
  const cfg = deps.estate.clusters[cluster.name]!;
  if (req.change && !(req.change in cfg.changes)) {
    const known = Object.keys(cfg.changes);
    return refuse(
      `No change named "${req.change}" for cluster ${cluster.name}.`,
      known.length
        ? `Known changes: ${known.join(', ')} (opsbot.yaml, clusters.${cluster.name}.changes).`
        : `Register one under clusters.${cluster.name}.changes in opsbot.yaml, ` +
            'or leave --change out to pause for a manual change.',
    );
  }
  const plan = await planDrain(cluster, req.node, cfg.excludeBy);
  const blocked = await transientBlock(cluster, [ENABLE_KEY, ...(req.excludeSpot ? [excludeKey('zone')] : [])]);
  if (blocked) plan.refusals.push(blocked);
  // With --exclude-spot the spot zone leaves too, before the node: both exclusions must be possible.
  const add: ListAdditions = {
    [plan.key]: [plan.value],
    ...(req.excludeSpot ? { [excludeKey('zone')]: ['spot'] } : {}),
  };
  const precheck = await exclusionPrecheck(cluster, add);
  plan.refusals.push(...precheck.refusals);
  const fast = await readFastPlan(cluster, cfg.fastRecovery, [plan.node.name], req.fast);
  plan.refusals.push(...fast.refusals);
  if (plan.refusals.length) return refuse(`Cannot drain ${plan.node.name} on ${plan.cluster}`, NOTHING, plan.refusals);
  const params: MaintainParams = {
    ...drainParams(plan),
    feasibility: precheck.note,
    ...(await valuesBefore(cluster)),
    nodes: [ref(plan.node)],
    ...(req.change ? { change: req.change } : {}),
    excludeSpot: req.excludeSpot,
    ...(fast.fast ? { fast: fast.fast } : {}),
  };
  return planned(maintain, params, cluster.name);
}

/** `/es allocation none|primaries|new_primaries|all`. */
export async function planAllocation(
  req: { enable: AllocationEnable; cluster?: string | undefined },
  deps: MaintenancePlanDeps,
): Promise<PlanResult<AllocationParams>> {
  const cluster = deps.clusters.get(req.cluster);
  const blocked = await transientBlock(cluster, [ENABLE_KEY]);
  if (blocked) return refuse(`Cannot change allocation: ${blocked}`, NOTHING);
  const health = await cluster.health();
  const params: AllocationParams = {
    cluster: cluster.name,
    nodes: [],
    baselineHealth: health.status,
    enable: req.enable,
  };
  return planned(allocation, params, cluster.name);
}

/** `/es exclude-zone Z` / `/es include-zone Z`: the zone must be one the nodes carry. */
export async function planZone(
  req: { name: 'es.exclude-zone' | 'es.include-zone'; zone: string; cluster?: string | undefined },
  deps: MaintenancePlanDeps,
): Promise<PlanResult<ZoneParams>> {
  const cluster = deps.clusters.get(req.cluster);
  const [{ nodes }, health] = await Promise.all([cluster.nodes(), cluster.health()]);
  const zones = zonesOf(nodes);
  const excluding = req.name === 'es.exclude-zone';
  if (excluding && !zones.includes(req.zone)) {
    return refuse(
      `No node has zone "${req.zone}" in cluster ${cluster.name}; zones are: ${zones.join(', ') || 'none set'}.`,
      'Ask again with one of those zones.',
    );
  }
  if (excluding && nodes.every((n) => n.zone === req.zone)) {
    return refuse(
      `Every node of cluster ${cluster.name} is in zone ${req.zone}: excluding it would leave shards nowhere to go.`,
      NOTHING,
    );
  }
  const blocked = await transientBlock(cluster, [excludeKey('zone')]);
  if (blocked) return refuse(`Cannot change zone exclusions: ${blocked}`, NOTHING);
  const precheck = excluding
    ? await exclusionPrecheck(cluster, { [excludeKey('zone')]: [req.zone] }, nodes)
    : undefined;
  if (precheck?.refusals.length)
    return refuse(`Cannot exclude zone ${req.zone} on ${cluster.name}`, NOTHING, precheck.refusals);
  const params: ZoneParams = {
    ...(await valuesBefore(cluster)),
    ...(precheck ? { feasibility: precheck.note } : {}),
    cluster: cluster.name,
    nodes: nodes.filter((n) => n.zone === req.zone).map(ref),
    baselineHealth: health.status,
    zone: req.zone,
  };
  return planned(excluding ? excludeZoneRun : includeZoneRun, params, cluster.name);
}
