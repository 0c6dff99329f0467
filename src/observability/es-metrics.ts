import type { Client } from '@elastic/elasticsearch';
import type { BotMetrics } from './metrics.js';

/**
 * The endpoint of a request path, coarse enough to be a label: "/_cat/allocation/node-3" →
 * "_cat/allocation", "/_cluster/health" → "_cluster/health", "/logs-2024/_search" →
 * "{index}/_search". Node and index names never become label values.
 */
export function esEndpointOf(path: string): string {
  const parts = path.split('?')[0]!.split('/').filter(Boolean);
  if (parts.length === 0) return '/';
  const [first, second] = parts;
  if (!first!.startsWith('_')) return second?.startsWith('_') ? `{index}/${second}` : '{index}';
  return second && !second.startsWith('{') && /^[a-z_]+$/.test(second) ? `${first}/${second}` : first!;
}

interface Diagnostic {
  meta: { request: { id: unknown; params: { path: string } } };
  statusCode?: number | null;
}

/**
 * Times and counts one cluster client's requests (progress polls included) through the client's
 * own diagnostic events: 'request' marks the start, 'response' the end, with the error if any.
 */
export function observeEsClient(cluster: string, client: Client, metrics: BotMetrics): void {
  const started = new Map<unknown, number>();
  client.diagnostic.on('request', (_err, result) => {
    const r = result as unknown as Diagnostic | null;
    if (!r) return;
    // A client whose responses never arrive must not grow this map without bound.
    if (started.size > 10_000) started.clear();
    if (!started.has(r.meta.request.id)) started.set(r.meta.request.id, performance.now());
  });
  client.diagnostic.on('response', (err, result) => {
    const r = result as unknown as Diagnostic | null;
    if (!r) return;
    const endpoint = esEndpointOf(r.meta.request.params.path);
    const t0 = started.get(r.meta.request.id);
    started.delete(r.meta.request.id);
    if (t0 !== undefined) {
      metrics.esDuration.observe({ cluster, endpoint, outcome: err ? 'error' : 'ok' }, (performance.now() - t0) / 1000);
    }
    if (err) metrics.esErrors.inc({ cluster, endpoint, kind: r.statusCode ? String(r.statusCode) : err.name });
  });
}
