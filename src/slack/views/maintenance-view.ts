import type { Run } from '../../engine/index.js';
import type { MaintenanceParams } from '../../runbooks/es-maintenance/node-ref.js';
import type { DrainParams } from '../../runbooks/index.js';
import { drainPlanBlocks } from './drain-plan-view.js';
import { fields, section, type Block } from './blocks.js';

const ENDED = new Set<Run['status']>(['failed', 'cancelled', 'denied', 'expired', 'reverted', 'succeeded']);

/**
 * Whether this run left shard movement disabled: a "disable" step done with no "enable" done
 * after it. The runbook's worst trap is a cluster silently left with allocation off.
 */
export function leftAllocationDisabled(run: Run): boolean {
  let disabled = false;
  for (const s of [...run.steps, ...run.undoSteps]) {
    if (s.status !== 'done') continue;
    if (s.id.startsWith('disable')) disabled = true;
    if (s.id.startsWith('enable') || s.id.startsWith('undo-enable')) disabled = false;
  }
  return disabled;
}

function allocationAlarm(run: Run): Block[] {
  if (!ENDED.has(run.status) || !leftAllocationDisabled(run)) return [];
  const p = run.params as MaintenanceParams;
  return [
    section(
      `:rotating_light: *Shard movement is still DISABLED on cluster ${p.cluster}* (\`cluster.routing.allocation.enable: none\`). ` +
        `${run.undoOffer && !run.undoOffer.decided ? 'Press *Revert* to run the approved "Enable shard movement", ' : ''}or request \`/es allocation all --cluster ${p.cluster}\`.`,
    ),
  ];
}

/** Plan blocks of bounce / rolling restart / zone / allocation runs, with the alarm when it applies. */
export function maintenanceBlocks(run: Run): Block[] {
  const p = run.params as MaintenanceParams & { zone?: string; enable?: string };
  const items = [`*Cluster*\n${p.cluster}`, `*Health at request*\n${p.baselineHealth}`];
  if (p.nodes.length)
    items.push(
      `*Nodes (in order)*\n${p.nodes
        .map((n) => `${n.name} (${n.ip}${n.zone ? `, ${n.zone}` : ''})`)
        .join('\n')
        .slice(0, 1900)}`,
    );
  if (p.enable) items.push(`*Setting written*\n\`cluster.routing.allocation.enable: ${p.enable}\` (persistent)`);
  if (p.zone) items.push(`*Zone*\n${p.zone}`);
  const scope =
    run.approvalScope === 'plan' && run.status === 'awaiting_approval'
      ? [section(':information_source: One approval covers every step of this plan that changes the cluster.')]
      : [];
  return [...allocationAlarm(run), fields(items), ...scope];
}

/** `/es maintain`: the drain's plan facts, then the procedure, with the alarm when it applies. */
export function maintainBlocks(run: Run): Block[] {
  const p = run.params as DrainParams & MaintenanceParams & { change?: string };
  const change = p.change
    ? [section(`*Change while stopped*: \`${p.change}\` (from opsbot.yaml)`)]
    : [section('*Change while stopped*: by hand; the run pauses and waits for *Done*.')];
  return [...allocationAlarm(run), ...drainPlanBlocks(p), ...change];
}
