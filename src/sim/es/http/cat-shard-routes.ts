import { indexHealth } from '../health.js';
import type { SimCluster } from '../sim-cluster.js';
import type { IndexMeta, Recovery, ShardCopy } from '../types.js';
import { formatInstant, formatPercent } from '../units.js';
import { catColumns, isTrue, type Row } from './cat-table.js';
import { catResponse } from './cat-response.js';
import type { EsRequest, Router } from './router.js';

// Column declarations mirror RestShardsAction, RestCatRecoveryAction, RestIndicesAction, RestAliasAction.
const SHARDS = catColumns(`
  index|i,idx shard|s,sh prirep|p,pr,primaryOrReplica state|st docs|d,dc|r store|sto|r dataset||r ip id||h node|n
  sync_id||h unassigned.reason|ur|h unassigned.at|ua|h unassigned.for|uf|rh unassigned.details|ud|h
  recoverysource.type|rs|h
`);

const RECOVERY = catColumns(`
  index|i,idx shard|s,sh start_time|start|h start_time_millis|start_millis|h stop_time|stop|h
  stop_time_millis|stop_millis|h
  time|t,ti type|ty stage|st source_host|shost source_node|snode target_host|thost target_node|tnode repository|rep
  snapshot|snap files|f files_recovered|fr files_percent|fp files_total|tf bytes|b bytes_recovered|br bytes_percent|bp
  bytes_total|tb translog_ops|to translog_ops_recovered|tor translog_ops_percent|top
`);

const INDICES = catColumns(`
  health|h status|s index|i,idx uuid|id,uuid pri|p,shards.primary,shardsPrimary|r rep|r,shards.replica,shardsReplica|r
  docs.count|dc,docsCount|r docs.deleted|dd,docsDeleted|r creation.date|cd|h creation.date.string|cds|h
  store.size|ss,storeSize|r pri.store.size||r dataset.size||r
`);

const ALIASES = catColumns(`
  alias|a index|i,idx filter|f,fi routing.index|ri,routingIndex routing.search|rs,routingSearch
  is_write_index|w,isWriteIndex
`);

/** Documents are not simulated: a count proportional to size keeps docs.count plausible. */
const BYTES_PER_DOC = 2048;

/** `_cat/shards`, `_cat/recovery`, `_cat/indices`, `_cat/aliases`. */
export function addCatShardRoutes(router: Router, cluster: SimCluster): void {
  const shards = (req: EsRequest) => {
    const rows: Row[] = [];
    for (const meta of cluster.catalog.resolve(req.params.index)) {
      for (const group of meta.groups) for (const copy of group.copies) rows.push(shardRow(cluster, copy));
    }
    return catResponse(req, SHARDS, rows);
  };
  router.add('GET', '/_cat/shards', shards);
  router.add('GET', '/_cat/shards/{index}', shards);

  const recovery = (req: EsRequest) => {
    const metas = cluster.catalog.resolve(req.params.index);
    const recoveries: Recovery[] = [];
    if (isTrue(req.query.get('active_only'))) {
      // The cheap form progress polls use: only the recoveries in flight, never every shard.
      const wanted = new Set(metas);
      recoveries.push(...cluster.activeRecoveries().filter((r) => wanted.has(r.copy.group.index)));
      recoveries.sort((a, b) => order(metas, a) - order(metas, b));
    } else {
      for (const meta of metas)
        for (const group of meta.groups)
          for (const copy of group.copies) recoveries.push(...recoveriesOf(cluster, copy));
    }
    return catResponse(
      req,
      RECOVERY,
      recoveries.map((r) => recoveryRow(cluster, r)),
    );
  };
  router.add('GET', '/_cat/recovery', recovery);
  router.add('GET', '/_cat/recovery/{index}', recovery);

  const indices = (req: EsRequest) => {
    const wantHealth = req.query.get('health');
    const rows: Row[] = [];
    for (const meta of cluster.catalog.resolve(req.params.index)) {
      const h = indexHealth(meta);
      if (wantHealth !== null && wantHealth !== h.status) continue;
      let store = 0;
      let pri = 0;
      for (const g of meta.groups)
        for (const c of g.copies) {
          if (c.state !== 'STARTED' && c.state !== 'RELOCATING') continue;
          store += g.size;
          if (c.primary) pri += g.size;
        }
      // A closed index has no stats: ES leaves its docs and store columns empty.
      const anyPrimary = h.activePrimaries > 0 && !meta.closed;
      rows.push([
        h.status,
        meta.closed ? 'close' : 'open',
        meta.name,
        meta.uuid,
        meta.shards,
        meta.replicas,
        anyPrimary ? Math.floor(pri / BYTES_PER_DOC) : null,
        anyPrimary ? 0 : null,
        meta.creationDate,
        formatInstant(meta.creationDate),
        meta.closed ? null : { bytes: store },
        meta.closed ? null : { bytes: pri },
        meta.closed ? null : { bytes: store },
      ]);
    }
    return catResponse(req, INDICES, rows);
  };
  router.add('GET', '/_cat/indices', indices);
  router.add('GET', '/_cat/indices/{index}', indices);

  const aliases = (req: EsRequest) => {
    const names = req.params.name?.split(',');
    const rows: Row[] = [];
    for (const meta of cluster.state.indices.values()) {
      for (const alias of [...meta.aliases].sort()) {
        if (!names || names.includes(alias)) rows.push([alias, meta.name, '-', '-', '-', '-']);
      }
    }
    return catResponse(req, ALIASES, rows);
  };
  router.add('GET', '/_cat/aliases', aliases);
  router.add('GET', '/_cat/aliases/{name}', aliases);
}

function order(metas: IndexMeta[], r: Recovery): number {
  return metas.indexOf(r.copy.group.index) * 1_000_000 + r.copy.group.id;
}

function shardRow(cluster: SimCluster, c: ShardCopy): Row {
  const size = c.group.size;
  // Shards of a closed index are allocated but have no stats: docs and store stay empty.
  const bytes =
    c.state === 'UNASSIGNED' || c.group.index.closed
      ? null
      : c.state === 'INITIALIZING'
        ? (c.recovery?.reusedBytes ?? 0) + (c.recovery?.recoveredBytes ?? 0)
        : size;
  let ip: string | null = null;
  let id: string | null = null;
  let node: string | null = null;
  if (c.nodeId !== null) {
    const n = cluster.state.node(c.nodeId);
    ip = n.ip;
    id = n.id;
    node = n.name;
    if (c.state === 'RELOCATING' && c.target) {
      const t = cluster.state.node(c.target.nodeId);
      node += ` -> ${t.ip} ${t.id} ${t.name}`;
    }
  }
  const u = c.unassigned && c.state === 'UNASSIGNED' ? c.unassigned : null;
  const source =
    c.state === 'STARTED' || c.state === 'RELOCATING'
      ? null
      : c.primary
        ? c.group.everAllocated
          ? 'existing_store'
          : 'empty_store'
        : 'peer';
  return [
    c.group.index.name,
    c.group.id,
    c.primary ? 'p' : 'r',
    c.state,
    bytes === null ? null : Math.floor(bytes / BYTES_PER_DOC),
    bytes === null ? null : { bytes },
    bytes === null ? null : { bytes },
    ip,
    id,
    node,
    null,
    u?.reason ?? null,
    u ? formatInstant(cluster.epochMs + u.at) : null,
    u ? { ms: Math.max(0, cluster.now - u.at) } : null,
    u?.details ?? null,
    source,
  ];
}

/** A copy's recovery states as the recovery API lists them: the one in flight, else the last one. */
function recoveriesOf(cluster: SimCluster, c: ShardCopy): Recovery[] {
  if (c.state === 'UNASSIGNED') return [];
  if (c.recovery) return [c.recovery];
  const out: Recovery[] = [c.lastRecovery ?? bootRecovery(cluster, c)];
  if (c.target?.recovery) out.push(c.target.recovery);
  return out;
}

/** Copies placed at start-up never recovered in simulated time: show the recovery that made them. */
function bootRecovery(cluster: SimCluster, c: ShardCopy): Recovery {
  const primaryNode = c.primary ? null : (cluster.state.activePrimaryOf(c)?.nodeId ?? null);
  return {
    copy: c,
    type: c.primary ? 'existing_store' : 'peer',
    sourceNodeId: primaryNode,
    targetNodeId: c.nodeId as string,
    totalBytes: 0,
    reusedBytes: c.group.size,
    recoveredBytes: 0,
    startTime: 0,
    stopTime: 0,
    readyAt: 0,
  };
}

function recoveryRow(cluster: SimCluster, r: Recovery): Row {
  const now = cluster.now;
  const transferring = r.totalBytes - r.recoveredBytes > 1e-3;
  const stage = r.stopTime !== null ? 'done' : transferring ? 'index' : 'translog';
  const source = r.sourceNodeId !== null ? cluster.state.nodes.get(r.sourceNodeId) : undefined;
  const target = cluster.state.nodes.get(r.targetNodeId);
  const total = r.totalBytes + r.reusedBytes;
  const files = (bytes: number): number => Math.ceil(bytes / (64 * 1024 * 1024));
  const filesTotal = files(total);
  const filesToRecover = files(r.totalBytes);
  const filesRecovered = r.totalBytes === 0 ? 0 : Math.floor((filesToRecover * r.recoveredBytes) / r.totalBytes);
  const pct = (done: number, of: number): string => formatPercent(of === 0 ? 100 : (100 * done) / of);
  const stop = r.stopTime ?? 0;
  return [
    r.copy.group.index.name,
    r.copy.group.id,
    formatInstant(cluster.epochMs + r.startTime),
    cluster.epochMs + r.startTime,
    formatInstant(cluster.epochMs + stop),
    r.stopTime === null ? 0 : cluster.epochMs + stop,
    { ms: (r.stopTime ?? now) - r.startTime },
    r.type,
    stage,
    source?.host ?? 'n/a',
    source?.name ?? 'n/a',
    target?.host ?? 'n/a',
    target?.name ?? 'n/a',
    'n/a',
    'n/a',
    filesToRecover,
    filesRecovered,
    pct(filesRecovered, filesToRecover),
    filesTotal,
    { bytes: r.totalBytes },
    { bytes: Math.floor(r.recoveredBytes) },
    pct(r.recoveredBytes, r.totalBytes),
    { bytes: total },
    0,
    0,
    '100.0%',
  ];
}
