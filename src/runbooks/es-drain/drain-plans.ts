import type { Estate } from '../../config/estate.js';
import { excludeKey, planDrain, splitList, type Clusters } from '../../targets/elasticsearch/index.js';
import { exclusionPrecheck } from '../es-feasibility/index.js';
import { planned, refuse, type PlanResult } from '../plan.js';
import { drain, drainNode, drainParams, undrain, type DrainParams } from './drain-params.js';
import { readFastPlan } from './fast-plan.js';

export interface DrainPlanDeps {
  clusters: Clusters;
  estate: Estate;
}

export interface DrainRequest {
  node: string;
  /** Every node named (`/es drain node-3 node-4`), duplicates folded; `node` alone when absent. */
  nodes?: string[];
  cluster?: string | undefined;
  cleanStale?: boolean;
  /** `--fast`: raise the recovery throttles to the cluster's fastRecovery limits for the drain. */
  fast?: boolean;
}

/**
 * `/es drain NODE`: the node, its shards and bytes, where they can go, the exclusion list before
 * and after; refused (each reason saying what to do) when the drain must not start.
 */
export async function planDrainRun(req: DrainRequest, deps: DrainPlanDeps): Promise<PlanResult<DrainParams>> {
  if (req.nodes && req.nodes.length > 1) return planDrainSet(req, req.nodes, deps);
  const cluster = deps.clusters.get(req.cluster);
  const attr = deps.estate.clusters[cluster.name]!.excludeBy;
  const plan = await planDrain(cluster, req.node, attr, { cleanStale: req.cleanStale === true });
  const precheck = await exclusionPrecheck(cluster, { [plan.key]: [plan.value] });
  const limits = deps.estate.clusters[cluster.name]!.fastRecovery;
  const fast = await readFastPlan(cluster, limits, [plan.node.name], req.fast);
  const refusals = [...plan.refusals, ...precheck.refusals, ...fast.refusals];
  if (refusals.length) {
    return refuse(`Cannot drain ${plan.node.name} on ${plan.cluster}`, 'Nothing was changed.', refusals);
  }
  const params = { ...drainParams(plan), feasibility: precheck.note, ...(fast.fast ? { fast: fast.fast } : {}) };
  return planned(drain, params, cluster.name);
}

/**
 * `/es drain node-3 node-4 …`: one plan for the set. Each node is planned as for one (an unknown
 * name is refused, listing the known nodes), then the set is judged together: one exclusion list
 * with every value added, the per-shard precheck with all of them leaving at once.
 */
async function planDrainSet(req: DrainRequest, names: string[], deps: DrainPlanDeps): Promise<PlanResult<DrainParams>> {
  const cluster = deps.clusters.get(req.cluster);
  const attr = deps.estate.clusters[cluster.name]!.excludeBy;
  const plans = [];
  for (const name of names) plans.push(await planDrain(cluster, name, attr, { cleanStale: req.cleanStale === true }));
  const first = plans[0]!;
  const values = [...new Set(plans.map((pl) => pl.value))];
  const kept = first.currentList.filter((v) => !first.removeStale.includes(v));
  const listAfter = [...kept, ...values.filter((v) => !kept.includes(v))];
  const precheck = await exclusionPrecheck(cluster, { [first.key]: values });
  const limits = deps.estate.clusters[cluster.name]!.fastRecovery;
  const fast = await readFastPlan(cluster, limits, names, req.fast);
  // A node's own capacity check counts the other leaving nodes as room: the set's precheck decides that.
  const own = plans.flatMap((pl) => pl.refusals.filter((r) => !r.includes('free under the high watermark')));
  const refusals = [...new Set([...own, ...precheck.refusals, ...fast.refusals])];
  const set = names.join(', ');
  if (refusals.length) return refuse(`Cannot drain ${set} on ${cluster.name}`, 'Nothing was changed.', refusals);
  const drainSet = plans.map(drainNode);
  const leaving = new Set(names);
  const params: DrainParams = {
    ...drainParams(first),
    listAfter,
    shards: drainSet.reduce((s, n) => s + n.shards, 0),
    bytes: drainSet.reduce((s, n) => s + n.bytes, 0),
    targets: first.targets.filter((t) => !leaving.has(t.name)).length,
    capacityBytes: first.targets.filter((t) => !leaving.has(t.name)).reduce((s, t) => s + t.freeBytes, 0),
    warnings: [...new Set(plans.flatMap((pl) => pl.warnings))],
    drainSet,
    feasibility: precheck.note,
    ...(fast.fast ? { fast: fast.fast } : {}),
  };
  return planned(drain, params, cluster.name);
}

/** `/es undrain NODE`: only that node's entry leaves the list; refused when it is not in it. */
export async function planUndrain(req: DrainRequest, deps: DrainPlanDeps): Promise<PlanResult<DrainParams>> {
  const cluster = deps.clusters.get(req.cluster);
  const attr = deps.estate.clusters[cluster.name]!.excludeBy;
  const plan = await planDrain(cluster, req.node, attr);
  const key = excludeKey(attr);
  const list = splitList((await cluster.settings()).persistent[key]);
  if (!list.includes(plan.value)) {
    return refuse(
      `${req.node} (${plan.value}) is not in ${key} (now: ${list.join(',') || 'empty'}): nothing to undrain.`,
      'Nothing was changed; /es settings shows the exclusion list.',
    );
  }
  const params = { ...drainParams(plan), listBefore: list, listAfter: list.filter((v) => v !== plan.value) };
  return planned(undrain, params, cluster.name);
}
