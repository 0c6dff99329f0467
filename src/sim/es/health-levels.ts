import { indexHealth, type HealthStatus } from './health.js';
import type { IndexMeta, ShardGroup } from './types.js';

/**
 * `_cluster/health?level=indices|shards`: ClusterIndexHealth and ClusterShardHealth in ES 8's
 * field order. This one scans the copies of the indices asked for, as ES does for these levels.
 */
export function indicesHealthLevel(metas: IndexMeta[], withShards: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const meta of metas) {
    const h = indexHealth(meta);
    const entry: Record<string, unknown> = {
      status: h.status,
      number_of_shards: meta.shards,
      number_of_replicas: meta.replicas,
      active_primary_shards: h.activePrimaries,
      active_shards: h.active,
      relocating_shards: h.relocating,
      initializing_shards: h.initializing,
      unassigned_shards: h.unassigned,
      unassigned_primary_shards: h.unassignedPrimaries,
    };
    if (withShards) entry.shards = Object.fromEntries(meta.groups.map((g) => [String(g.id), shardHealth(g)]));
    out[meta.name] = entry;
  }
  return out;
}

function shardHealth(group: ShardGroup): Record<string, unknown> {
  let active = 0;
  let relocating = 0;
  let initializing = 0;
  let unassigned = 0;
  let unassignedPrimaries = 0;
  let primaryActive = false;
  let status: HealthStatus = 'green';
  for (const c of group.copies) {
    const isActive = c.state === 'STARTED' || c.state === 'RELOCATING';
    if (isActive) {
      active++;
      if (c.state === 'RELOCATING') relocating++;
      if (c.primary) primaryActive = true;
      continue;
    }
    if (c.state === 'INITIALIZING') initializing++;
    else {
      unassigned++;
      if (c.primary) unassignedPrimaries++;
    }
    const newPrimary = c.primary && c.state === 'INITIALIZING' && c.recovery?.type === 'empty_store';
    if (c.primary && !newPrimary) status = 'red';
    else if (status === 'green') status = 'yellow';
  }
  return {
    status,
    primary_active: primaryActive,
    active_shards: active,
    relocating_shards: relocating,
    initializing_shards: initializing,
    unassigned_shards: unassigned,
    unassigned_primary_shards: unassignedPrimaries,
  };
}
