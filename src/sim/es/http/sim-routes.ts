import { EsError } from '../es-error.js';
import { projectedCount } from '../allocator.js';
import type { SimCluster } from '../sim-cluster.js';
import type { FaultInjector, FaultSpec } from './faults.js';
import type { EsRequest, EsResponse, Router } from './router.js';

export interface SimControl {
  cluster: SimCluster;
  faults: FaultInjector;
  getSpeed(): number;
  setSpeed(factor: number): void;
  /** The last error the automatic ticker hit, if any. */
  tickError(): string | null;
}

/**
 * Control endpoints that are not Elasticsearch: for tests, local mode and the SSH scripts that
 * stand in for `service elasticsearch stop|start|restart` on a node.
 */
export function addSimRoutes(router: Router, ctl: SimControl): void {
  const { cluster } = ctl;
  const nodeAction =
    (action: 'stop' | 'start' | 'restart' | 'destroy') =>
    (req: EsRequest): EsResponse => {
      const name = req.params.name as string;
      if (action === 'stop') cluster.stopNode(name);
      else if (action === 'destroy') cluster.destroyNode(name);
      else if (action === 'start') cluster.startNode(name);
      else {
        const delay = req.query.get('delay_ms');
        cluster.restartNode(name, delay === null ? undefined : Number(delay));
      }
      const node = cluster.nodeByName(name);
      return { status: 200, body: { acknowledged: true, node: node.name, alive: node.alive, now: cluster.now } };
    };
  router.add('POST', '/_sim/nodes/{name}/_stop', nodeAction('stop'));
  router.add('POST', '/_sim/nodes/{name}/_start', nodeAction('start'));
  router.add('POST', '/_sim/nodes/{name}/_restart', nodeAction('restart'));
  router.add('POST', '/_sim/nodes/{name}/_destroy', nodeAction('destroy'));
  router.add('PUT', '/_sim/nodes/{name}/_disk', (req) => {
    const bytes = Number((req.body as { other_bytes?: unknown } | undefined)?.other_bytes);
    if (!Number.isFinite(bytes) || bytes < 0)
      throw new EsError(
        400,
        'illegal_argument_exception',
        'other_bytes must be a number >= 0 (bytes of non-shard data)',
      );
    const name = req.params.name as string;
    cluster.setOtherBytes(name, bytes);
    return { status: 200, body: { acknowledged: true, node: name, other_bytes: bytes, now: cluster.now } };
  });

  router.add('GET', '/_sim/state', () => ({ status: 200, body: simState(ctl) }));

  router.add('PUT', '/_sim/speed', (req) => {
    const factor = Number((req.body as { factor?: unknown } | undefined)?.factor);
    if (!Number.isFinite(factor) || factor < 0)
      throw new EsError(400, 'illegal_argument_exception', 'speed factor must be a number >= 0');
    ctl.setSpeed(factor);
    return { status: 200, body: { acknowledged: true, speed: factor } };
  });

  router.add('POST', '/_sim/advance', (req) => {
    const ms = Number((req.body as { ms?: unknown } | undefined)?.ms ?? req.query.get('ms'));
    if (!Number.isFinite(ms) || ms < 0)
      throw new EsError(400, 'illegal_argument_exception', 'ms must be a number >= 0');
    cluster.advance(ms);
    return { status: 200, body: { acknowledged: true, now: cluster.now } };
  });

  router.add('PUT', '/_sim/faults', (req) => {
    ctl.faults.set((req.body ?? { mode: 'none' }) as FaultSpec);
    return { status: 200, body: { acknowledged: true, faults: ctl.faults.current() } };
  });
  router.add('GET', '/_sim/faults', () => ({ status: 200, body: ctl.faults.current() }));
}

/** A compact summary: per-node counts and bytes and the relocations in flight. */
function simState(ctl: SimControl): Record<string, unknown> {
  const { cluster } = ctl;
  const nodes = cluster.nodes().map((n) => ({
    name: n.name,
    id: n.id,
    ip: n.ip,
    zone: n.attributes.zone,
    alive: n.alive,
    shards: n.routingCount,
    projected_shards: projectedCount(n),
    bytes: Math.floor(cluster.state.liveBytes(n)),
    disk_total: n.diskTotal,
    incoming: n.incoming.size,
    outgoing: n.outgoing.size,
  }));
  const relocations = cluster
    .activeRecoveries()
    .filter((r) => r.copy.source)
    .map((r) => ({
      index: r.copy.group.index.name,
      shard: r.copy.group.id,
      primary: r.copy.primary,
      from: cluster.state.nodes.get(r.copy.source?.nodeId ?? '')?.name ?? null,
      to: cluster.state.nodes.get(r.targetNodeId)?.name ?? null,
      bytes: r.totalBytes,
      recovered: Math.floor(r.recoveredBytes),
    }));
  return {
    now: cluster.now,
    speed: ctl.getSpeed(),
    health: cluster.health(),
    faults: ctl.faults.current(),
    tick_error: ctl.tickError(),
    nodes,
    relocations,
  };
}
