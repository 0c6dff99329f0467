import type { Alarm, Step, StepOutcome } from '../../engine/index.js';
import { AllocationWriter, healthNoWorse, type AllocationEnable } from '../../targets/elasticsearch/index.js';
import type { MaintenanceDeps } from './maintenance-deps.js';
import type { MaintenanceParams } from './maintenance-params.js';

/** The condition "Disable shard movement" raises and "Enable shard movement" clears. */
export const ALLOCATION_DISABLED = 'allocation-disabled';

/** The runbook's worst trap, a cluster silently left with allocation off, as the card's alarm. */
export const allocationAlarms: Record<string, Alarm<{ cluster: string }>> = {
  [ALLOCATION_DISABLED]: {
    title: (p) => `Shard movement is still DISABLED on cluster ${p.cluster}`,
    detail: () => ' (`cluster.routing.allocation.enable: none`).',
    revert: 'Enable shard movement',
    fix: (p) => `request \`/es allocation all --cluster ${p.cluster}\``,
  },
};

function setEnable(deps: MaintenanceDeps, id: string, title: string, value: AllocationEnable): Step<MaintenanceParams> {
  return {
    id,
    title,
    destructive: true,
    ...(value === 'none' ? { raises: [ALLOCATION_DISABLED] } : { clears: [ALLOCATION_DISABLED] }),
    async run(ctx): Promise<StepOutcome> {
      const change = await new AllocationWriter(deps.clusters.get(ctx.params.cluster)).setEnable(value);
      const summary = change.written
        ? `persistent cluster.routing.allocation.enable = ${value} (was ${change.before ?? 'unset'})`
        : `cluster.routing.allocation.enable was already ${value}`;
      return { status: 'done', summary };
    },
  };
}

/** The runbook's "Enable shard movement": allocation.enable = all. Also the undo of disabling it. */
export function enableShardMovement(deps: MaintenanceDeps, id = 'enable-shard-movement'): Step<MaintenanceParams> {
  return setEnable(deps, id, 'Enable shard movement', 'all');
}

/**
 * The runbook's "Disable shard movement": allocation.enable = none. Its undo re-enables, so a
 * cancelled or failed run offers the one-click, approved "Enable shard movement".
 */
export function disableShardMovement(
  deps: MaintenanceDeps,
  id = 'disable-shard-movement',
  undoId = 'undo-enable-shard-movement',
): Step<MaintenanceParams> {
  return {
    ...setEnable(deps, id, 'Disable shard movement', 'none'),
    undo: enableShardMovement(deps, undoId),
  };
}

/**
 * After shard movement is enabled again: wait until health is back to what it was (or green)
 * and nothing is initializing. A wait with re-checks, failing after the cluster's recovery timeout.
 */
export function waitForRecovery(
  deps: MaintenanceDeps,
  id = 'wait-for-recovery',
): Step<MaintenanceParams, { since: number }> {
  return {
    id,
    title: 'Wait for the cluster to recover',
    async run(ctx): Promise<StepOutcome> {
      const params = ctx.params;
      const cfg = deps.estate.clusters[params.cluster]!;
      const h = await deps.clusters.get(params.cluster).health();
      const since = ctx.state.since ?? ctx.now();
      ctx.state.since = since;
      await ctx.progress({
        text:
          `health ${h.status} (was ${params.baselineHealth}) · ${h.initializing} initializing · ` +
          `${h.unassigned} unassigned · ${h.relocating} relocating`,
        fields: {
          Health: h.status,
          Initializing: String(h.initializing),
          Unassigned: String(h.unassigned),
          Relocating: String(h.relocating),
        },
      });
      if (healthNoWorse(h.status, params.baselineHealth) && h.initializing === 0)
        return { status: 'done', summary: `cluster is ${h.status}` };
      if (ctx.now() - since > cfg.timeouts.recoveryMs) {
        return {
          status: 'fail',
          reason:
            `the cluster is still ${h.status} (${h.unassigned} unassigned, ${h.initializing} initializing) ` +
            `after ${Math.round(cfg.timeouts.recoveryMs / 60_000)} minutes`,
        };
      }
      return { status: 'wait', recheckInMs: cfg.timeouts.pollMs };
    },
  };
}
