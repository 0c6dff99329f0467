import type { Step, StepOutcome } from '../../engine/index.js';
import { AllocationWriter, excludeKey } from '../../targets/elasticsearch/index.js';
import type { MaintenanceDeps } from './maintenance-deps.js';
import type { MaintenanceParams } from './maintenance-params.js';

/**
 * The runbook's "Ensure all nodes are reliable … disable the SPOT nodes": `zone` added to the
 * persistent exclude.zone list (merge-safe, like a drain). Its undo lets shards back on the zone.
 */
export function excludeZone(deps: MaintenanceDeps, zone: string, id = `exclude-zone-${zone}`): Step<MaintenanceParams> {
  return {
    id,
    title: `Disable the ${zone.toUpperCase()} nodes (exclude zone ${zone})`,
    destructive: true,
    async run(ctx): Promise<StepOutcome> {
      const change = await new AllocationWriter(deps.clusters.get(ctx.params.cluster), {
        onWritten: () => ctx.landed(),
      }).addExclusion('zone', zone);
      return {
        status: 'done',
        summary: change.written
          ? `persistent ${excludeKey('zone')} = ${change.after.join(',')}`
          : `zone ${zone} was already excluded`,
      };
    },
    undo: includeZone(deps, zone, `undo-${id}`, { onlyOurs: true }),
  };
}

/**
 * Shards may go back to the zone: only `zone` leaves the exclude.zone list. As an undo
 * (`onlyOurs`), only if this run added it (I4): a zone excluded before the run (the plan's
 * `zonesExcludedBefore`) stays excluded.
 */
export function includeZone(
  deps: MaintenanceDeps,
  zone: string,
  id = `include-zone-${zone}`,
  opts: { onlyOurs?: boolean } = {},
): Step<MaintenanceParams> {
  return {
    id,
    title: `Allow shards back on the ${zone} nodes`,
    destructive: true,
    async run(ctx): Promise<StepOutcome> {
      if (opts.onlyOurs && (ctx.params.zonesExcludedBefore ?? []).includes(zone)) {
        return { status: 'done', summary: `zone ${zone} was excluded before this run: left so, nothing to undo` };
      }
      const change = await new AllocationWriter(deps.clusters.get(ctx.params.cluster)).removeExclusion('zone', zone);
      return {
        status: 'done',
        summary: change.written
          ? `persistent ${excludeKey('zone')} = ${change.after.join(',') || '(empty)'}`
          : `zone ${zone} was not excluded`,
      };
    },
  };
}

/**
 * "Ensure all nodes are reliable": spot nodes may vanish mid-procedure. Not blocking: the thread
 * says which spot nodes still hold shards and how to exclude them first.
 */
export function checkReliableNodes(deps: MaintenanceDeps): Step<MaintenanceParams> {
  return {
    id: 'check-reliable-nodes',
    title: 'Ensure all nodes are reliable',
    async run(ctx): Promise<StepOutcome> {
      const { nodes } = await deps.clusters.get(ctx.params.cluster).nodes();
      const risky = nodes.filter((n) => n.zone === 'spot' && n.shards > 0 && n.excludedBy.length === 0);
      if (risky.length === 0) return { status: 'done', summary: 'no spot node holds shards' };
      await ctx.note(
        `${risky.length} spot node(s) hold shards and may vanish during this: ` +
          `${risky.map((n) => `${n.name} (${n.shards})`).join(', ')}. ` +
          'To move data off them first, cancel and run `/es exclude-zone spot`, ' +
          'or request this again with --exclude-spot.',
        { level: 'warning' },
      );
      return { status: 'done', summary: `${risky.length} spot node(s) still hold shards` };
    },
  };
}
