import type { Runbook, Step } from '../../engine/index.js';
import { AllocationWriter } from '../../targets/elasticsearch/index.js';
import {
  allowAllocationBack,
  drainAlarms,
  drainEndCheck,
  drainSteps,
  type DrainDeps,
} from '../es-drain/drain-runbook.js';
import { allocationFacts, allocationLock } from '../es-facts.js';
import {
  ALLOCATION_DISABLED,
  allocationAlarms,
  disableShardMovement,
  restoreShardMovement,
  restrictToPrimaries,
  waitForRecovery,
} from './allocation-steps.js';
import type { MaintenanceDeps } from './maintenance-deps.js';
import {
  allocation,
  bounce,
  excludeZoneRun,
  includeZoneRun,
  maintain,
  rollingRestart,
  type AllocationParams,
  type MaintainParams,
  type MaintenanceParams,
  type RollingRestartParams,
  type ZoneParams,
} from './maintenance-params.js';
import { allocationEndCheck } from '../es-allocation-alarm.js';
import { performChanges, restartNode, startNode, stopNode } from './node-steps.js';
import { checkReliableNodes, excludeZone, includeZone } from './zone-steps.js';

const names = (p: MaintenanceParams) => p.nodes.map((n) => n.name).join(', ');

/**
 * One node at a time, as Elastic's rolling-restart guidance and a careful operator do: replicas
 * held (`enable: primaries`), restart, rejoin proven, `enable` back to what it was, then wait until
 * health is back to the baseline with nothing initializing and no more unassigned copies than
 * before, and only then the next node. The restart itself refuses while the node holds the only
 * active copy of a shard (I1): never two nodes' copies offline at once.
 */
function nodeByNode(deps: MaintenanceDeps, nodes: MaintenanceParams['nodes']): Step<MaintenanceParams>[] {
  return nodes.flatMap((n): Step<MaintenanceParams>[] => [
    restrictToPrimaries(deps, `disable-before-${n.name}`, `undo-enable-after-${n.name}`),
    restartNode(deps, n),
    restoreShardMovement(deps, `enable-after-${n.name}`),
    waitForRecovery(deps, `recover-after-${n.name}`),
  ]);
}

/** What every runbook that changes a cluster's allocation shares: its lock and its facts. */
const onCluster = (deps: MaintenanceDeps) => ({
  lock: allocationLock(deps.clusters),
  queueable: true,
  facts: (p: { cluster: string }) => allocationFacts(deps.clusters, p.cluster),
  alarms: allocationAlarms,
  endAlarms: allocationEndCheck(deps.clusters),
});

/**
 * "Fixing Cluster": for each node in turn, disable shard movement, restart it (it must rejoin),
 * enable shard movement and wait for the cluster to recover. One approval covers the plan.
 */
export function bounceRunbook(deps: MaintenanceDeps): Runbook<MaintenanceParams> {
  return {
    ...bounce,
    ...onCluster(deps),
    approval: 'plan',
    alarms: allocationAlarms,
    summary: (p) => `Bounce ${names(p)} on ${p.cluster}`,
    steps: (p) => nodeByNode(deps, p.nodes),
  };
}

/**
 * Every node (or one zone's), one at a time: each restart is wrapped in disable / enable and the
 * next node starts only when the cluster is back (not red, nothing initializing).
 */
export function rollingRestartRunbook(deps: MaintenanceDeps): Runbook<RollingRestartParams> {
  return {
    ...rollingRestart,
    ...onCluster(deps),
    approval: 'plan',
    alarms: allocationAlarms,
    summary: (p) => `Rolling restart of ${p.nodes.length} node(s)${p.zone ? ` in zone ${p.zone}` : ''} on ${p.cluster}`,
    steps: (p) => [waitForRecovery(deps, 'wait-before-start'), ...nodeByNode(deps, p.nodes)],
  };
}

/** "Changing Cluster Config", the whole procedure for one node, with a pause for the change itself. */
export function maintainRunbook(deps: MaintenanceDeps & DrainDeps): Runbook<MaintainParams> {
  return {
    ...maintain,
    ...onCluster(deps),
    approval: 'plan',
    // With --fast, a raised recovery throttle left behind is the drain's alarm too.
    alarms: drainAlarms,
    endAlarms: drainEndCheck(deps),
    summary: (p) => `Maintain ${p.node} (${p.ip}) on ${p.cluster}${p.change ? `: ${p.change}` : ''}`,
    steps: (p) => {
      const node = p.nodes[0]!;
      return [
        p.excludeSpot ? excludeZone(deps, 'spot') : checkReliableNodes(deps),
        ...drainSteps(deps, p),
        disableShardMovement(deps),
        stopNode(deps, node, { key: p.key, value: p.value }),
        performChanges(deps, node, p.change),
        startNode(deps, node),
        // Back to the value the plan found (I3), not to `all`: the id stays, for runs in flight.
        restoreShardMovement(deps, 'enable-shard-movement'),
        allowAllocationBack(deps),
      ];
    },
  };
}

/** `/es allocation none|primaries|all`: one approved settings change. */
export function allocationRunbook(deps: MaintenanceDeps): Runbook<AllocationParams> {
  return {
    ...allocation,
    ...onCluster(deps),
    summary: (p) => `Set shard movement to ${p.enable} on ${p.cluster}`,
    // A deliberate `/es allocation none` leaves the same alarm on its card as a run that failed
    // with shard movement off: the cluster's worst trap is forgetting it.
    alarms: allocationAlarms,
    steps: (p) => [
      {
        id: 'set-allocation',
        title: 'Set cluster.routing.allocation.enable',
        destructive: true,
        ...(p.enable === 'all' ? { clears: [ALLOCATION_DISABLED] } : { raises: [ALLOCATION_DISABLED] }),
        async run(ctx) {
          const p = ctx.params;
          const writer = new AllocationWriter(deps.clusters.get(p.cluster), { onWritten: () => ctx.landed() });
          const r = await writer.setEnable(p.enable);
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

/** `/es exclude-zone ZONE` and `/es include-zone ZONE`. */
export function zoneRunbooks(deps: MaintenanceDeps): Runbook<ZoneParams>[] {
  return [
    {
      ...excludeZoneRun,
      ...onCluster(deps),
      summary: (p) => `Exclude zone ${p.zone} on ${p.cluster}`,
      steps: (p) => [excludeZone(deps, p.zone, 'exclude-zone')],
    },
    {
      ...includeZoneRun,
      ...onCluster(deps),
      summary: (p) => `Include zone ${p.zone} on ${p.cluster}`,
      steps: (p) => [includeZone(deps, p.zone, 'include-zone')],
    },
  ];
}
