import type { Run } from '../../engine/index.js';
import type { MaintainParams, MaintenanceParams } from '../../runbooks/index.js';
import { drainPlanBlocks } from './drain-plan-view.js';
import { fields, section, type Block } from './blocks.js';

/** Plan blocks of bounce / rolling restart / zone / allocation runs (the alarm is the runbook's, drawn by the card). */
export function maintenanceBlocks(p: MaintenanceParams & { zone?: string; enable?: string }, run: Run): Block[] {
  const items = [`*Cluster*\n${p.cluster}`, `*Health at request*\n${p.baselineHealth}`];
  if (p.nodes.length) {
    const nodes = p.nodes.map((n) => `${n.name} (${n.ip}${n.zone ? `, ${n.zone}` : ''})`).join('\n');
    items.push(`*Nodes (in order)*\n${nodes.slice(0, 1900)}`);
  }
  if (p.enable) items.push(`*Setting written*\n\`cluster.routing.allocation.enable: ${p.enable}\` (persistent)`);
  if (p.zone) items.push(`*Zone*\n${p.zone}`);
  const scope =
    run.approvalScope === 'plan' && run.status === 'awaiting_approval'
      ? [section(':information_source: One approval covers every step of this plan that changes the cluster.')]
      : [];
  return [fields(items), ...scope];
}

/** `/es maintain`: the drain's plan facts, then the procedure. */
export function maintainBlocks(p: MaintainParams): Block[] {
  const change = p.change
    ? [section(`*Change while stopped*: \`${p.change}\` (from opsbot.yaml)`)]
    : [section('*Change while stopped*: by hand; the run pauses and waits for *Done*.')];
  return [...drainPlanBlocks(p), ...change];
}
