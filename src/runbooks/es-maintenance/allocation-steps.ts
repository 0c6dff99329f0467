import type { Step, StepOutcome } from '../../engine/index.js';
import {
  AllocationWriter,
  ENABLE_KEY,
  healthNoWorse,
  type AllocationEnable,
} from '../../targets/elasticsearch/index.js';
import { redSummary, watchRed, type RedWatch } from '../es-red-watch.js';
import type { MaintenanceDeps } from './maintenance-deps.js';
import type { MaintenanceParams } from './maintenance-params.js';

import { ALLOCATION_DISABLED } from '../es-allocation-alarm.js';

export { ALLOCATION_DISABLED, allocationAlarms } from '../es-allocation-alarm.js';

/**
 * Writes `cluster.routing.allocation.enable` (persistent), read back as the effective value.
 * `value` is a fixed setting, or 'as-before': the persistent value the plan found (unset: removed),
 * so a run ends with allocation as it was, not as `all` (I3). Intent before effect: the value
 * found is saved with the intent before the write; a call after a crash that finds the new value
 * already in place knows it was this run's write (landed: its alarm and its Revert count), and
 * says so rather than "was already".
 */
function setEnable(
  deps: MaintenanceDeps,
  id: string,
  title: string,
  value: AllocationEnable | 'as-before',
): Step<MaintenanceParams, { before?: string | null }> {
  const restricts = value === 'none' || value === 'primaries' || value === 'new_primaries';
  return {
    id,
    title,
    destructive: true,
    ...(restricts ? { raises: [ALLOCATION_DISABLED] } : { clears: [ALLOCATION_DISABLED] }),
    async run(ctx): Promise<StepOutcome> {
      const to = value === 'as-before' ? ((ctx.params.enableBefore as AllocationEnable | undefined) ?? null) : value;
      const cluster = deps.clusters.get(ctx.params.cluster);
      const st = ctx.state;
      if (!ctx.step.intent) {
        st.before = (await cluster.settings()).persistent[ENABLE_KEY] ?? null;
        await ctx.intent(`persistent ${ENABLE_KEY} = ${to ?? 'null'}`);
      }
      const change = await new AllocationWriter(cluster, { onWritten: () => ctx.landed() }).setEnable(to);
      // Found in place, but not what was there when the write was said: it is this run's write.
      const ours = change.written || (st.before !== undefined && (st.before ?? null) !== to);
      if (ours && !change.written) await ctx.landed();
      const shown = to ?? 'unset (all)';
      const was = (change.written ? change.before : st.before) ?? 'unset';
      const summary = !ours
        ? `cluster.routing.allocation.enable was already ${shown}`
        : `persistent cluster.routing.allocation.enable = ${shown} (was ${was})` +
          (change.written ? '' : ', written before a worker restart');
      return { status: 'done', summary };
    },
  };
}

/**
 * Before one node restarts, as Elastic's rolling-restart guidance does: `enable: primaries`, so
 * replicas are not rebuilt elsewhere while the node is away, and primaries can still be
 * allocated (a primary whose node is gone is promoted from a replica). Undone by restoring.
 */
export function restrictToPrimaries(deps: MaintenanceDeps, id: string, undoId: string): Step<MaintenanceParams> {
  return {
    ...setEnable(deps, id, 'Disable shard movement (replicas)', 'primaries'),
    undo: restoreShardMovement(deps, undoId),
  };
}

/** "Enable shard movement": `enable` back to the value the plan found (usually unset, i.e. all). */
export function restoreShardMovement(deps: MaintenanceDeps, id: string): Step<MaintenanceParams> {
  return setEnable(deps, id, 'Enable shard movement', 'as-before');
}

/**
 * The runbook's "Disable shard movement": allocation.enable = none. Its undo puts back the value
 * the plan found, so a cancelled or failed run offers the one-click, approved "Enable shard movement".
 */
export function disableShardMovement(deps: MaintenanceDeps): Step<MaintenanceParams> {
  return {
    ...setEnable(deps, 'disable-shard-movement', 'Disable shard movement', 'none'),
    // Back to exactly what the plan found (I4), not to `all`.
    undo: restoreShardMovement(deps, 'undo-enable-shard-movement'),
  };
}

/**
 * After shard movement is enabled again: wait until health is back to what it was (or green)
 * and nothing is initializing. A wait with re-checks, failing after the cluster's recovery timeout.
 */
export function waitForRecovery(
  deps: MaintenanceDeps,
  id = 'wait-for-recovery',
): Step<MaintenanceParams, { since: number } & RedWatch> {
  return {
    id,
    title: 'Wait for the cluster to recover',
    retryable: true, // a wait: it only reads (a retry waits its timeout again)
    // The step fails at the cluster's recovery timeout; the watchdog (I5) is for a call that hangs.
    budgetMs: (p) => {
      const t = deps.estate.clusters[p.cluster]!.timeouts;
      return t.recoveryMs + 2 * t.pollMs;
    },
    async run(ctx): Promise<StepOutcome> {
      const params = ctx.params;
      const cfg = deps.estate.clusters[params.cluster]!;
      const h = await deps.clusters.get(params.cluster).health();
      await watchRed(ctx, h);
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
      // Safe to go on (ECK's "safe to roll"): health back to the baseline, nothing initializing,
      // and no more unassigned copies than before the run.
      const unassignedOk = params.baselineUnassigned === undefined || h.unassigned <= params.baselineUnassigned;
      if (healthNoWorse(h.status, params.baselineHealth) && h.initializing === 0 && unassignedOk)
        return { status: 'done', summary: `cluster is ${h.status}${redSummary(ctx)}` };
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
