import { EsError } from '../es-error.js';
import { indexDefaultsOf, indexSettingsOf } from '../index-settings.js';
import { flattenSettings, toFlatObject, toNestedObject } from '../settings-shape.js';
import type { SimCluster } from '../sim-cluster.js';
import { simpleMatch, splitCommaList } from '../wildcard.js';
import { isTrue } from './cat-table.js';
import { requireObjectBody } from './cluster-routes.js';
import type { EsRequest, EsResponse, Router } from './router.js';

/** GET and PUT `/{index}/_settings` (also `/_settings`, `/_all/_settings`, `/{index}/_settings/{name}`). */
export function addIndexSettingsRoutes(router: Router, cluster: SimCluster): void {
  const get = (req: EsRequest): EsResponse => {
    const flat = isTrue(req.query.get('flat_settings'));
    const withDefaults = isTrue(req.query.get('include_defaults'));
    const names = req.params.name === undefined ? null : splitCommaList(req.params.name);
    const wanted = (key: string): boolean => names === null || names.some((n) => n === '_all' || simpleMatch(n, key));
    const shape = (m: Map<string, string>): unknown => {
      const picked = new Map([...m].filter(([k]) => wanted(k)));
      return flat ? toFlatObject(picked) : toNestedObject(picked);
    };
    const body: Record<string, unknown> = {};
    for (const meta of cluster.catalog.resolve(req.params.index, isTrue(req.query.get('ignore_unavailable')))) {
      const settings = indexSettingsOf(meta, cluster.version.indexVersion);
      const entry: Record<string, unknown> = { settings: shape(settings) };
      if (withDefaults) entry.defaults = shape(indexDefaultsOf(settings));
      // A name filter that matches nothing on an index leaves that index out, as ES does.
      if (names !== null && Object.keys(entry.settings as object).length === 0 && !withDefaults) continue;
      body[meta.name] = entry;
    }
    return { status: 200, body };
  };
  router.add('GET', '/_settings', get);
  router.add('GET', '/_settings/{name}', get);
  router.add('GET', '/{index}/_settings', get);
  router.add('GET', '/{index}/_settings/{name}', get);

  const put = (req: EsRequest): EsResponse => {
    let body = requireObjectBody(req);
    // RestUpdateSettingsAction: a body of {"settings": {...}} is unwrapped.
    if (Object.keys(body).length === 1 && typeof body.settings === 'object' && body.settings !== null)
      body = body.settings as Record<string, unknown>;
    const flat = flattenSettings(body);
    if (flat.size === 0) {
      throw new EsError(
        400,
        'action_request_validation_exception',
        'Validation Failed: 1: settings must not be empty;',
      );
    }
    const metas = cluster.catalog.resolve(req.params.index, isTrue(req.query.get('ignore_unavailable')));
    cluster.updateIndexSettings(metas, flat, {
      preserveExisting: isTrue(req.query.get('preserve_existing')),
      reopen: isTrue(req.query.get('reopen')),
    });
    return { status: 200, body: { acknowledged: true } };
  };
  router.add('PUT', '/_settings', put);
  router.add('PUT', '/{index}/_settings', put);

  // Add / remove index block: `index.blocks.{block}` set to true, or removed.
  const block =
    (add: boolean) =>
    (req: EsRequest): EsResponse => {
      const name = req.params.block as string;
      if (!BLOCKS.includes(name)) {
        throw new EsError(
          400,
          'illegal_argument_exception',
          `No enum constant org.elasticsearch.cluster.metadata.IndexMetadata.APIBlock.${name.toUpperCase()}`,
        );
      }
      const metas = cluster.catalog.resolve(req.params.index);
      cluster.updateIndexSettings(metas, new Map([[`index.blocks.${name}`, add ? 'true' : null]]));
      const indices = metas.map((m) => (add ? { name: m.name, blocked: true } : { name: m.name, unblocked: true }));
      return {
        status: 200,
        body: add ? { acknowledged: true, shards_acknowledged: true, indices } : { acknowledged: true, indices },
      };
    };
  router.add('PUT', '/{index}/_block/{block}', block(true));
  router.add('DELETE', '/{index}/_block/{block}', block(false));
}

const BLOCKS = ['metadata', 'read', 'read_only', 'write'];
