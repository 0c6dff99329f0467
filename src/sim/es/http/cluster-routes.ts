import { SettingsError } from '../cluster-settings.js';
import { EsError } from '../es-error.js';
import { explainAllocation } from '../explain.js';
import { indexHealth, worstStatus, type HealthStatus } from '../health.js';
import { indicesHealthLevel } from '../health-levels.js';
import { selectNodes } from '../node-selector.js';
import { allDefaults, type SettingValue } from '../settings-catalog.js';
import { toFlatObject, toNestedObject } from '../settings-shape.js';
import type { SimCluster } from '../sim-cluster.js';
import type { HealthSummary } from '../types.js';
import { parseDuration } from '../units.js';
import { isTrue } from './cat-table.js';
import { clusterInfo } from './cluster-info.js';
import { parseExplainRequest } from './explain-request.js';
import { jvmInfo } from './node-info-jvm.js';
import type { EsRequest, EsResponse, Router } from './router.js';

const TRANSIENT_WARNING =
  '[transient settings removal] Updating cluster settings through ' +
  'transientSettings is deprecated. Use persistent settings instead.';

/** `/`, `_cluster/health`, `_cluster/settings`, `_cluster/allocation/explain`, `_nodes`. */
export function addClusterRoutes(router: Router, cluster: SimCluster, closing: AbortSignal): void {
  const root = (): EsResponse => ({
    status: 200,
    body: {
      name: cluster.master()?.name ?? cluster.nodes()[0]?.name ?? 'node',
      cluster_name: cluster.name,
      cluster_uuid: cluster.uuid,
      version: cluster.version.info,
      tagline: 'You Know, for Search',
    },
  });
  router.add('GET', '/', root);
  router.add('HEAD', '/', () => ({ status: 200 }));

  const health = (req: EsRequest): Promise<EsResponse> => waitForHealth(cluster, req, closing);
  router.add('GET', '/_cluster/health', health);
  router.add('GET', '/_cluster/health/{index}', health);

  router.add('GET', '/_cluster/settings', (req) => {
    const flat = isTrue(req.query.get('flat_settings'));
    const shape = (m: Map<string, SettingValue>): unknown => (flat ? toFlatObject(m) : toNestedObject(m));
    const body: Record<string, unknown> = {
      persistent: shape(cluster.settings.persistent),
      transient: shape(cluster.settings.transient),
    };
    if (isTrue(req.query.get('include_defaults'))) {
      const defaults = new Map(allDefaults().filter(([k]) => cluster.settings.explicit(k) === undefined));
      body.defaults = shape(defaults);
    }
    return { status: 200, body };
  });

  router.add('PUT', '/_cluster/settings', (req) => {
    const body = requireObjectBody(req);
    for (const key of Object.keys(body)) {
      if (key !== 'persistent' && key !== 'transient') {
        throw new EsError(
          400,
          'x_content_parse_exception',
          `[1:2] [cluster_update_settings_request] unknown field [${key}]`,
        );
      }
    }
    const empty = (v: unknown): boolean =>
      v === undefined || v === null || (typeof v === 'object' && Object.keys(v).length === 0);
    if (empty(body.persistent) && empty(body.transient)) {
      throw new EsError(400, 'action_request_validation_exception', 'Validation Failed: 1: no settings to update;');
    }
    try {
      const applied = cluster.putSettings(body);
      const flat = isTrue(req.query.get('flat_settings'));
      const shape = (m: Map<string, SettingValue>): unknown => (flat ? toFlatObject(m) : toNestedObject(m));
      const headers: Record<string, string> = {};
      if (body.transient !== undefined && Object.keys(body.transient as object).length > 0)
        headers.warning = cluster.version.warning(TRANSIENT_WARNING);
      return {
        status: 200,
        headers,
        body: { acknowledged: true, persistent: shape(applied.persistent), transient: shape(applied.transient) },
      };
    } catch (e) {
      if (e instanceof SettingsError) throw new EsError(400, e.type, e.message);
      throw e;
    }
  });

  const explain = (req: EsRequest): EsResponse => {
    const parsed = parseExplainRequest(req);
    const body = explainAllocation(cluster, parsed.request, parsed.includeYes, parsed.human);
    if (parsed.includeDisk) body.cluster_info = clusterInfo(cluster);
    return { status: 200, body };
  };
  router.add(['GET', 'POST'], '/_cluster/allocation/explain', explain);

  const nodesInfo = (req: EsRequest): EsResponse => {
    const { nodeSpec, metrics } = splitNodesPath(req.params.node_id, req.params.metric);
    const nodes = selectNodes(cluster, nodeSpec);
    const wants = (metric: string): boolean => metrics === null || metrics.includes(metric) || metrics.includes('_all');
    const human = isTrue(req.query.get('human'));
    const out: Record<string, unknown> = {};
    for (const n of nodes) {
      const info: Record<string, unknown> = {
        name: n.name,
        transport_address: `${n.ip}:9300`,
        host: n.host,
        ip: n.ip,
        version: cluster.version.info.number,
        transport_version: cluster.version.transportVersion,
        index_version: cluster.version.indexVersion,
        build_flavor: cluster.version.info.build_flavor,
        build_type: cluster.version.info.build_type,
        build_hash: cluster.version.info.build_hash,
        total_indexing_buffer: 858993459,
        roles: [...n.roles],
        attributes: { ...n.attributes },
      };
      if (wants('settings')) {
        info.settings = {
          cluster: { name: cluster.name },
          node: { name: n.name, attr: { ...n.attributes }, roles: [...n.roles] },
          path: { data: ['/var/lib/elasticsearch'], logs: '/var/log/elasticsearch', home: '/usr/share/elasticsearch' },
          network: { host: n.ip },
          http: { port: '9200' },
          transport: { port: '9300' },
        };
      }
      if (wants('jvm')) info.jvm = jvmInfo(n, human);
      out[n.id] = info;
    }
    return {
      status: 200,
      body: {
        _nodes: { total: nodes.length, successful: nodes.length, failed: 0 },
        cluster_name: cluster.name,
        nodes: out,
      },
    };
  };
  router.add('GET', '/_nodes', nodesInfo);
  router.add('GET', '/_nodes/{node_id}', nodesInfo);
  router.add('GET', '/_nodes/{node_id}/{metric}', nodesInfo);
}

const NODE_INFO_METRICS = new Set([
  'settings',
  'os',
  'process',
  'jvm',
  'thread_pool',
  'transport',
  'http',
  'plugins',
  'modules',
  'ingest',
  'aggregations',
  'indices',
  'remote_cluster_server',
  '_all',
  '_none',
]);

/** `/_nodes/settings` names a metric, `/_nodes/node-1` a node: ES tells them apart the same way. */
function splitNodesPath(
  first: string | undefined,
  second: string | undefined,
): { nodeSpec: string | undefined; metrics: string[] | null } {
  if (second !== undefined) return { nodeSpec: first, metrics: second.split(',') };
  if (first !== undefined && first.split(',').every((p) => NODE_INFO_METRICS.has(p)))
    return { nodeSpec: undefined, metrics: first.split(',') };
  return { nodeSpec: first, metrics: null };
}

export function requireObjectBody(req: EsRequest): Record<string, unknown> {
  if (req.body === undefined) throw new EsError(400, 'parse_exception', 'request body is required');
  if (typeof req.body !== 'object' || req.body === null || Array.isArray(req.body)) {
    throw new EsError(400, 'x_content_parse_exception', '[1:1] request body must be a JSON object');
  }
  return req.body as Record<string, unknown>;
}

/** `_cluster/health` with ES's wait_for_* parameters; a wait that runs out answers 408 timed_out. */
async function waitForHealth(cluster: SimCluster, req: EsRequest, closing: AbortSignal): Promise<EsResponse> {
  const q = req.query;
  const timeoutMs = q.get('timeout') ? parseDuration(q.get('timeout') as string, 'timeout') : 30_000;
  const deadline = Date.now() + timeoutMs;
  const rank = { green: 0, yellow: 1, red: 2 } as const;
  for (;;) {
    const h = healthFor(cluster, req.params.index);
    const wantStatus = q.get('wait_for_status') as HealthStatus | null;
    const ok =
      h !== null &&
      (wantStatus === null || rank[h.status] <= rank[wantStatus]) &&
      (!isWaitTrue(q.get('wait_for_no_relocating_shards')) || h.relocating_shards === 0) &&
      (!isWaitTrue(q.get('wait_for_no_initializing_shards')) || h.initializing_shards === 0) &&
      nodesCondition(q.get('wait_for_nodes'), h.number_of_nodes);
    if (ok) return { status: 200, body: withLevel(cluster, req, h) };
    if (Date.now() >= deadline || closing.aborted) {
      const body = h ?? { ...cluster.health(), status: 'red' };
      return { status: 408, body: { ...body, timed_out: true } };
    }
    await new Promise((resolve) => setTimeout(resolve, 20).unref());
  }
}

/** level=cluster (default), indices or shards; ES refuses any other value. */
function withLevel(cluster: SimCluster, req: EsRequest, h: HealthSummary): Record<string, unknown> {
  const level = req.query.get('level') ?? 'cluster';
  if (level === 'cluster') return { ...h };
  if (level !== 'indices' && level !== 'shards')
    throw new EsError(
      400,
      'illegal_argument_exception',
      'No enum constant org.elasticsearch.action.admin.cluster.health.ClusterHealthRequest.Level.' +
        level.toUpperCase(),
    );
  const metas = cluster.catalog.resolve(req.params.index, true);
  return { ...h, indices: indicesHealthLevel(metas, level === 'shards') };
}

function isWaitTrue(v: string | null): boolean {
  return v !== null && isTrue(v);
}

function nodesCondition(spec: string | null, nodes: number): boolean {
  if (!spec) return true;
  const m = /^(>=|<=|ge\(|le\(|>|<|gt\(|lt\()?(\d+)\)?$/.exec(spec.trim());
  if (!m) return true;
  const n = Number(m[2]);
  switch (m[1]) {
    case '>=':
    case 'ge(':
      return nodes >= n;
    case '<=':
    case 'le(':
      return nodes <= n;
    case '>':
    case 'gt(':
      return nodes > n;
    case '<':
    case 'lt(':
      return nodes < n;
    default:
      return nodes === n;
  }
}

/** Health of the whole cluster, or of the indices an expression names (null if one is missing). */
function healthFor(cluster: SimCluster, expression: string | undefined): HealthSummary | null {
  const all = cluster.health();
  if (expression === undefined) return all;
  let metas;
  try {
    metas = cluster.catalog.resolve(expression);
  } catch {
    return null;
  }
  let status: HealthStatus = 'green';
  const sum = {
    ...all,
    active_primary_shards: 0,
    active_shards: 0,
    relocating_shards: 0,
    initializing_shards: 0,
    unassigned_shards: 0,
    unassigned_primary_shards: 0,
    delayed_unassigned_shards: 0,
  };
  let total = 0;
  for (const m of metas) {
    const h = indexHealth(m);
    status = worstStatus(status, h.status);
    sum.active_primary_shards += h.activePrimaries;
    sum.active_shards += h.active;
    sum.relocating_shards += h.relocating;
    sum.initializing_shards += h.initializing;
    sum.unassigned_shards += h.unassigned;
    sum.unassigned_primary_shards += h.unassignedPrimaries;
    total += m.shards * (m.replicas + 1);
  }
  return { ...sum, status, active_shards_percent_as_number: total === 0 ? 100 : (100 * sum.active_shards) / total };
}
