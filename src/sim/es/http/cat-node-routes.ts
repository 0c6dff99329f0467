import { filterDecision } from '../deciders.js';
import { roleAbbreviation, selectNodes } from '../node-selector.js';
import { hashString } from '../rng.js';
import type { SimCluster } from '../sim-cluster.js';
import type { SimNode } from '../types.js';
import { formatPercent } from '../units.js';
import { catColumns, isTrue, type Row } from './cat-table.js';
import { catResponse } from './cat-response.js';
import type { EsRequest, Router } from './router.js';

// Column declarations mirror RestNodesAction / RestAllocationAction / RestHealthAction:
// "name|aliases|flags", r = right-aligned, h = hidden unless asked for with h=.
const NODES = catColumns(`
  id|id,nodeId|h pid|p|h ip|i port|po|h http_address|http|h version|v|h type|t|h build|b|h jdk|j|h
  disk.total|dt,diskTotal|rh disk.used|du,diskUsed|rh disk.avail|d,da,disk,diskAvail|rh
  disk.used_percent|dup,diskUsedPercent|rh
  heap.current|hc,heapCurrent|rh heap.percent|hp,heapPercent|r heap.max|hm,heapMax|rh
  ram.current|rc,ramCurrent|rh ram.percent|rp,ramPercent|r ram.max|rm,ramMax|rh
  cpu|cpu|r load_1m|l|r load_5m|l|r load_15m|l|r uptime|u|rh node.role|r,role,nodeRole master|m name|n
`);

const ALLOCATION = catColumns(`
  shards|s|r shards.undesired||r write_load.forecast|wlf,writeLoadForecast|r
  disk.indices.forecast|dif,diskIndicesForecast|r
  disk.indices|di,diskIndices|r disk.used|du,diskUsed|r disk.avail|da,diskAvail|r disk.total|dt,diskTotal|r
  disk.percent|dp,diskPercent|r host|h ip node|n node.role|r,role,nodeRole
`);

const HEALTH = catColumns(`
  epoch|t,time timestamp|ts,hms,hhmmss cluster|cl status|st node.total|nt,nodeTotal|r node.data|nd,nodeData|r
  shards|t,sh,shards.total,shardsTotal|r pri|p,shards.primary,shardsPrimary|r
  relo|r,shards.relocating,shardsRelocating|r
  init|i,shards.initializing,shardsInitializing|r unassign|u,shards.unassigned,shardsUnassigned|r
  unassign.pri|up,shards.unassigned.primary,shardsUnassignedPrimary|r pending_tasks|pt,pendingTasks|r
  max_task_wait_time|mtwt,maxTaskWaitTime|r active_shards_percent|asp,activeShardsPercent|r
`);

const GB = 1024 ** 3;

/** `_cat/nodes`, `_cat/allocation` and `_cat/health`: each O(nodes), never a scan of shards. */
export function addCatNodeRoutes(router: Router, cluster: SimCluster): void {
  router.add('GET', '/_cat/nodes', (req) => {
    const fullId = isTrue(req.query.get('full_id'));
    const master = cluster.master();
    const rows: Row[] = cluster
      .nodes()
      .filter((n) => n.alive)
      .map((n) => {
        const used = cluster.state.liveBytes(n);
        const h = hashString(n.id);
        const heapMax = 31 * GB;
        const heapPct = 20 + (h % 50);
        const ramMax = 64 * GB;
        const ramPct = 60 + ((h >>> 8) % 39);
        const load = (k: number): string => (((h >>> k) % 300) / 100).toFixed(2);
        return [
          fullId ? n.id : n.id.slice(0, 4),
          1000 + (h % 60000),
          n.ip,
          9300,
          `${n.ip}:9200`,
          cluster.version.info.number,
          cluster.version.info.build_type,
          cluster.version.info.build_hash.slice(0, 7),
          '22.0.1',
          { bytes: n.diskTotal },
          { bytes: used },
          { bytes: n.diskTotal - used },
          n.diskTotal === 0 ? '0.00' : ((100 * used) / n.diskTotal).toFixed(2),
          { bytes: Math.floor((heapMax * heapPct) / 100) },
          heapPct,
          { bytes: heapMax },
          { bytes: Math.floor((ramMax * ramPct) / 100) },
          ramPct,
          { bytes: ramMax },
          (h >>> 4) % 30,
          load(3),
          load(5),
          load(7),
          { ms: cluster.now - n.startedAt },
          roleAbbreviation(n),
          n === master ? '*' : '-',
          n.name,
        ];
      });
    return catResponse(req, NODES, rows);
  });

  const allocation = (req: EsRequest) => {
    const nodes = selectNodes(cluster, req.params.node_id ?? 'data:true');
    const rows: Row[] = nodes.map((n) => allocationRow(cluster, n));
    const unassigned = cluster.state.counters.unassigned;
    if (unassigned > 0)
      rows.push([unassigned, null, null, null, null, null, null, null, null, null, null, 'UNASSIGNED', null]);
    return catResponse(req, ALLOCATION, rows);
  };
  router.add('GET', '/_cat/allocation', allocation);
  router.add('GET', '/_cat/allocation/{node_id}', allocation);

  router.add('GET', '/_cat/health', (req) => {
    const h = cluster.health();
    const wall = cluster.epochMs + cluster.now;
    const time = new Date(wall).toISOString().slice(11, 19);
    const columns = isTrue(req.query.get('ts') ?? 'true')
      ? HEALTH
      : HEALTH.map((c) => (c.name === 'epoch' || c.name === 'timestamp' ? { ...c, default: false } : c));
    const row: Row = [
      Math.floor(wall / 1000),
      time,
      h.cluster_name,
      h.status,
      h.number_of_nodes,
      h.number_of_data_nodes,
      h.active_shards,
      h.active_primary_shards,
      h.relocating_shards,
      h.initializing_shards,
      h.unassigned_shards,
      h.unassigned_primary_shards,
      h.number_of_pending_tasks,
      '-',
      formatPercent(h.active_shards_percent_as_number),
    ];
    return catResponse(req, columns, [row]);
  });

  router.add('GET', '/_cat', () => ({
    status: 200,
    contentType: 'text/plain; charset=UTF-8',
    body: [
      '=^.^=',
      '/_cat/allocation',
      '/_cat/shards',
      '/_cat/shards/{index}',
      '/_cat/nodes',
      '/_cat/indices',
      '/_cat/indices/{index}',
      '/_cat/health',
      '/_cat/recovery',
      '/_cat/recovery/{index}',
      '/_cat/aliases',
      '/_cat/aliases/{alias}',
      '',
    ].join('\n'),
  }));
}

/**
 * One `_cat/allocation` row: counters kept per node, plus its incoming recoveries for disk use.
 * shards.undesired: every copy on a node the filters exclude is somewhere it should not be.
 */
function allocationRow(cluster: SimCluster, n: SimNode): Row {
  const used = cluster.state.liveBytes(n);
  const mustMove = filterDecision(cluster.allocationConfig(), n, false).decision === 'NO';
  return [
    n.routingCount,
    mustMove ? n.routingCount : 0,
    '0.0',
    { bytes: n.settledBytes },
    { bytes: used },
    { bytes: used },
    { bytes: n.diskTotal - used },
    { bytes: n.diskTotal },
    n.diskTotal === 0 ? null : Math.floor((used * 100) / n.diskTotal),
    n.host,
    n.ip,
    n.name,
    roleAbbreviation(n),
  ];
}
