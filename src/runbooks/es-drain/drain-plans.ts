import type { Estate } from '../../config/estate.js';
import { excludeKey, planDrain, splitList, type Clusters } from '../../targets/elasticsearch/index.js';
import { exclusionPrecheck } from '../es-feasibility/index.js';
import { planned, refuse, type PlanResult } from '../plan.js';
import { drain, drainParams, undrain, type DrainParams } from './drain-params.js';
import { readFastPlan } from './fast-plan.js';

export interface DrainPlanDeps {
  clusters: Clusters;
  estate: Estate;
}

export interface DrainRequest {
  node: string;
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
