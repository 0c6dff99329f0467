import { runbookRef } from '../../engine/index.js';
import type { DrainPlan, ExcludeAttribute, Health } from '../../targets/elasticsearch/index.js';
import type { FeasibilityNote } from '../es-feasibility/index.js';
import type { FastThrottle } from './fast-plan.js';

/** One node of a drain of several. */
export interface DrainNode {
  node: string;
  ip: string;
  /** The value added to the exclusion list for it (IP or name). */
  value: string;
  shards: number;
  bytes: number;
}

/** What a drain run carries: the node, the setting, and the plan facts shown on its card. */
export interface DrainParams {
  cluster: string;
  node: string;
  ip: string;
  attr: ExcludeAttribute;
  /** The value added to the exclusion list (IP or name). */
  value: string;
  key: string;
  listBefore: string[];
  listAfter: string[];
  shards: number;
  bytes: number;
  capacityBytes: number;
  targets: number;
  staleEntries: string[];
  /** Stale entries this drain's write removes (--clean-stale). */
  removeStale: string[];
  warnings: string[];
  /** Health when the run was requested: the drain ends only when health is no worse. */
  baselineHealth: Health;
  /** The per-shard precheck: what moves, where it can go, what is tight. */
  feasibility?: FeasibilityNote;
  /**
   * A drain of several nodes (`/es drain node-3 node-4`): every node, the first also in node, ip
   * and value; shards and bytes are then the set's totals. Absent for one node.
   */
  drainSet?: DrainNode[];
  /** `--fast`: the recovery throttles raised for the drain and restored after it. */
  fast?: FastThrottle;
}

/** The nodes a drain empties: its set, or its one node. */
export function drainNodes(p: DrainParams): DrainNode[] {
  if (p.drainSet?.length) return p.drainSet;
  return [{ node: p.node, ip: p.ip, value: p.value, shards: p.shards, bytes: p.bytes }];
}

/** One planned node: what a drain of it, or of a set it is part of, records of it. */
export function drainNode(plan: DrainPlan): DrainNode {
  return {
    node: plan.node.name,
    ip: plan.node.ip,
    value: plan.value,
    shards: plan.node.shards,
    bytes: plan.node.diskUsedBytes ?? 0,
  };
}

/** The exclusion values a drain adds: one per node, a value shared by two nodes (same IP) once. */
export const drainValues = (p: DrainParams): string[] => [...new Set(drainNodes(p).map((n) => n.value))];

export function drainParams(plan: DrainPlan): DrainParams {
  return {
    cluster: plan.cluster,
    ...drainNode(plan),
    attr: plan.attr,
    key: plan.key,
    listBefore: plan.currentList,
    listAfter: plan.newList,
    capacityBytes: plan.capacityBytes,
    targets: plan.targets.length,
    staleEntries: plan.staleEntries,
    removeStale: plan.removeStale,
    warnings: plan.warnings,
    baselineHealth: plan.health.status,
  };
}

/** `/es drain NODE`: the runbook's "Move shards off the node" and the wait until it is empty. */
export const drain = runbookRef<DrainParams>('es.drain');
/** `/es undrain NODE`: the runbook's step 6 alone. */
export const undrain = runbookRef<DrainParams>('es.undrain');
