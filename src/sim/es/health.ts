import type { RoutingState } from './routing-state.js';
import type { HealthSummary, IndexMeta } from './types.js';

export type HealthStatus = 'green' | 'yellow' | 'red';

/**
 * ES's cluster health from the incremental counters: O(nodes), never O(shards).
 * Red: a primary is not active (new empty primaries still initializing count as yellow, as in
 * ClusterShardHealth). Yellow: a replica is not active. Green otherwise.
 */
export function clusterHealth(state: RoutingState, clusterName: string): HealthSummary {
  const k = state.counters;
  let nodes = 0;
  let dataNodes = 0;
  for (const n of state.nodes.values()) {
    if (!n.alive) continue;
    nodes++;
    if (n.isData) dataNodes++;
  }
  const status: HealthStatus =
    k.redPrimaries > 0 ? 'red' : k.yellowPrimaries > 0 || k.inactiveReplicas > 0 ? 'yellow' : 'green';
  return {
    cluster_name: clusterName,
    status,
    timed_out: false,
    number_of_nodes: nodes,
    number_of_data_nodes: dataNodes,
    active_primary_shards: k.activePrimaries,
    active_shards: k.active,
    relocating_shards: k.relocating,
    initializing_shards: k.initializing,
    unassigned_shards: k.unassigned,
    unassigned_primary_shards: k.unassignedPrimaries,
    delayed_unassigned_shards: state.delayed.size,
    number_of_pending_tasks: 0,
    number_of_in_flight_fetch: 0,
    task_max_waiting_in_queue_millis: 0,
    active_shards_percent_as_number: k.totalCopies === 0 ? 100 : (100 * k.active) / k.totalCopies,
  };
}

export interface IndexHealth {
  status: HealthStatus;
  primaries: number;
  replicas: number;
  activePrimaries: number;
  active: number;
  relocating: number;
  initializing: number;
  unassigned: number;
  unassignedPrimaries: number;
}

/** Health of one index: a scan of its copies (what `_cat/indices` and health/{index} need). */
export function indexHealth(meta: IndexMeta): IndexHealth {
  const h: IndexHealth = {
    status: 'green',
    primaries: meta.shards,
    replicas: meta.replicas,
    activePrimaries: 0,
    active: 0,
    relocating: 0,
    initializing: 0,
    unassigned: 0,
    unassignedPrimaries: 0,
  };
  let red = false;
  let yellow = false;
  for (const group of meta.groups) {
    for (const c of group.copies) {
      const active = c.state === 'STARTED' || c.state === 'RELOCATING';
      if (active) {
        h.active++;
        if (c.primary) h.activePrimaries++;
        if (c.state === 'RELOCATING') h.relocating++;
        continue;
      }
      if (c.state === 'INITIALIZING') h.initializing++;
      else {
        h.unassigned++;
        if (c.primary) h.unassignedPrimaries++;
      }
      if (!c.primary) yellow = true;
      else if (c.state === 'INITIALIZING' && c.recovery?.type === 'empty_store') yellow = true;
      else red = true;
    }
  }
  h.status = red ? 'red' : yellow ? 'yellow' : 'green';
  return h;
}

export function worstStatus(a: HealthStatus, b: HealthStatus): HealthStatus {
  const rank = { green: 0, yellow: 1, red: 2 } as const;
  return rank[a] >= rank[b] ? a : b;
}
