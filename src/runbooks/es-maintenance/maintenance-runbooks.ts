import type { Runbook, Step } from '../../engine/index.js';
import type { AllocationEnable } from '../../targets/elasticsearch/index.js';
import { allowAllocationBack, moveShardsOff, waitWhileShardsMove, type DrainDeps } from '../es-drain/drain-runbook.js';
import type { DrainParams } from '../es-drain/drain-params.js';
import { AllocationWriter } from '../../targets/elasticsearch/index.js';
import { disableShardMovement, enableShardMovement, waitForRecovery } from './allocation-steps.js';
import { allocationFacts, allocationLock } from '../es-facts.js';
import type { MaintenanceDeps } from './maintenance-deps.js';
import type { MaintenanceParams } from './node-ref.js';
import { performChanges, restartNode, startNode, stopNode } from './node-steps.js';
import { checkReliableNodes, excludeZone, includeZone } from './zone-steps.js';

const names = (p: MaintenanceParams) => p.nodes.map((n) => n.name).join(', ');

/**
 * "Fixing Cluster": disable shard movement, bounce the nodes one at a time (each must rejoin),
 * enable shard movement, wait for the cluster to recover. One approval covers the plan.
 */
export function bounceRunbook(deps: MaintenanceDeps): Runbook<MaintenanceParams> {
  return {
    name: 'es.bounce',
    approval: 'plan',
    lock: allocationLock,
    facts: (p: { cluster: string }) => allocationFacts(deps.clusters, p.cluster),
    summary: (p) => `Bounce ${names(p)} on ${p.cluster}`,
    steps: (p) => [
      disableShardMovement(deps),
      ...p.nodes.map((n) => restartNode(deps, n)),
      enableShardMovement(deps),
      waitForRecovery(deps),
    ],
  };
}

/**
 * Every node (or one zone's), one at a time: each restart is wrapped in disable / enable and the
 * next node starts only when the cluster is back (not red, nothing initializing).
 */
export function rollingRestartRunbook(deps: MaintenanceDeps): Runbook<MaintenanceParams & { zone?: string }> {
  return {
    name: 'es.rolling-restart',
    approval: 'plan',
    lock: allocationLock,
    facts: (p: { cluster: string }) => allocationFacts(deps.clusters, p.cluster),
    summary: (p) => `Rolling restart of ${p.nodes.length} node(s)${p.zone ? ` in zone ${p.zone}` : ''} on ${p.cluster}`,
    steps: (p) => [
      waitForRecovery(deps, 'wait-before-start'),
      ...p.nodes.flatMap((n): Step[] => {
        const disable = disableShardMovement(deps);
        return [
          {
            ...disable,
            id: `disable-before-${n.name}`,
            undo: enableShardMovement(deps, `undo-enable-after-${n.name}`),
          },
          restartNode(deps, n),
          enableShardMovement(deps, `enable-after-${n.name}`),
          waitForRecovery(deps, `recover-after-${n.name}`),
        ];
      }),
    ],
  };
}

export type MaintainParams = MaintenanceParams & DrainParams & { change?: string; excludeSpot?: boolean };

/** "Changing Cluster Config", the whole procedure for one node, with a pause for the change itself. */
export function maintainRunbook(deps: MaintenanceDeps & DrainDeps): Runbook<MaintainParams> {
  return {
    name: 'es.maintain',
    approval: 'plan',
    lock: allocationLock,
    facts: (p: { cluster: string }) => allocationFacts(deps.clusters, p.cluster),
    summary: (p) => `Maintain ${p.node} (${p.ip}) on ${p.cluster}${p.change ? `: ${p.change}` : ''}`,
    steps: (p) => {
      const node = p.nodes[0]!;
      return [
        p.excludeSpot ? excludeZone(deps, 'spot') : checkReliableNodes(deps),
        moveShardsOff(deps),
        waitWhileShardsMove(deps),
        disableShardMovement(deps),
        stopNode(deps, node),
        performChanges(deps, node, p.change),
        startNode(deps, node),
        enableShardMovement(deps),
        allowAllocationBack(deps),
      ];
    },
  };
}

export interface AllocationParams extends MaintenanceParams {
  enable: AllocationEnable;
}

/** `/es allocation none|primaries|all`: one approved settings change. */
export function allocationRunbook(deps: MaintenanceDeps): Runbook<AllocationParams> {
  return {
    name: 'es.allocation',
    lock: allocationLock,
    facts: (p: { cluster: string }) => allocationFacts(deps.clusters, p.cluster),
    summary: (p) => `Set shard movement to ${p.enable} on ${p.cluster}`,
    steps: [
      {
        id: 'set-allocation',
        title: 'Set cluster.routing.allocation.enable',
        destructive: true,
        async run(ctx) {
          const p = ctx.run.params as AllocationParams;
          const r = await new AllocationWriter(deps.clusters.get(p.cluster)).setEnable(p.enable);
          return {
            status: 'done',
            summary: r.written
              ? `persistent cluster.routing.allocation.enable = ${p.enable} (was ${r.before ?? 'unset'})`
              : `it was already ${p.enable}`,
          };
        },
      },
    ],
  };
}

export interface ZoneParams extends MaintenanceParams {
  zone: string;
}

/** `/es exclude-zone ZONE` and `/es include-zone ZONE`. */
export function zoneRunbooks(deps: MaintenanceDeps): Runbook<ZoneParams>[] {
  return [
    {
      name: 'es.exclude-zone',
      lock: allocationLock,
      facts: (p) => allocationFacts(deps.clusters, p.cluster),
      summary: (p) => `Exclude zone ${p.zone} on ${p.cluster}`,
      steps: (p) => [excludeZone(deps, p.zone, 'exclude-zone')],
    },
    {
      name: 'es.include-zone',
      lock: allocationLock,
      facts: (p) => allocationFacts(deps.clusters, p.cluster),
      summary: (p) => `Include zone ${p.zone} on ${p.cluster}`,
      steps: (p) => [includeZone(deps, p.zone, 'include-zone')],
    },
  ];
}
