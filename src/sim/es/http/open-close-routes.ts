import { illegalArgument } from '../es-error.js';
import type { SimCluster } from '../sim-cluster.js';
import type { IndexMeta } from '../types.js';
import { isSimpleMatchPattern, splitCommaList } from '../wildcard.js';
import { isTrue } from './cat-table.js';
import type { EsRequest, EsResponse, Router } from './router.js';

/** POST /{index}/_close and /{index}/_open, with ES 8's answers. */
export function addOpenCloseRoutes(router: Router, cluster: SimCluster): void {
  const resolve = (req: EsRequest): IndexMeta[] => {
    const expr = req.params.index as string;
    // action.destructive_requires_name (default true) covers closing too.
    const destructive = req.path.endsWith('/_close');
    if (destructive && splitCommaList(expr).some((p) => p === '_all' || isSimpleMatchPattern(p))) {
      if (cluster.settings.effectiveText('action.destructive_requires_name') === 'true')
        throw illegalArgument('Wildcard expressions or all indices are not allowed');
    }
    return cluster.catalog.resolve(expr, isTrue(req.query.get('ignore_unavailable')));
  };
  router.add('POST', '/{index}/_close', (req): EsResponse => {
    const indices: Record<string, { closed: boolean }> = {};
    for (const meta of resolve(req)) {
      if (meta.closed) continue;
      cluster.closeIndex(meta);
      indices[meta.name] = { closed: true };
    }
    return { status: 200, body: { acknowledged: true, shards_acknowledged: true, indices } };
  });
  router.add('POST', '/{index}/_open', (req): EsResponse => {
    const metas = resolve(req);
    for (const meta of metas) cluster.openIndex(meta);
    const primariesActive = metas.every((m) =>
      m.groups.every((g) => g.copies.some((c) => c.primary && (c.state === 'STARTED' || c.state === 'RELOCATING'))),
    );
    return { status: 200, body: { acknowledged: true, shards_acknowledged: primariesActive } };
  });
}
