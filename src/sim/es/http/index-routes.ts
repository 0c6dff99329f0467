import { EsError, illegalArgument } from '../es-error.js';
import { indexSettingsOf, validateNewIndexSettings } from '../index-settings.js';
import { flattenSettings, toNestedObject } from '../settings-shape.js';
import type { SimCluster } from '../sim-cluster.js';
import type { IndexMeta } from '../types.js';
import { parseDuration } from '../units.js';
import { isSimpleMatchPattern, simpleMatch, splitCommaList } from '../wildcard.js';
import { requireObjectBody } from './cluster-routes.js';
import type { EsRequest, EsResponse, Router } from './router.js';
import { scalarText } from '../../scalar-text.js';

/** Index creation, deletion and existence, and the alias APIs. */
export function addIndexRoutes(router: Router, cluster: SimCluster): void {
  router.add('PUT', '/{index}', (req) => createIndex(cluster, req));
  router.add('HEAD', '/{index}', (req) => {
    try {
      return { status: cluster.catalog.resolve(req.params.index).length > 0 ? 200 : 404 };
    } catch {
      return { status: 404 };
    }
  });
  router.add('GET', '/{index}', (req) => {
    const body: Record<string, unknown> = {};
    for (const m of cluster.catalog.resolve(req.params.index)) {
      body[m.name] = {
        aliases: Object.fromEntries([...m.aliases].sort().map((a) => [a, {}])),
        mappings: {},
        settings: toNestedObject(indexSettingsOf(m, cluster.version.indexVersion)),
      };
    }
    return { status: 200, body };
  });
  router.add('DELETE', '/{index}', (req) => {
    const expr = req.params.index as string;
    if (splitCommaList(expr).some((p) => p === '_all' || isSimpleMatchPattern(p))) {
      throw illegalArgument('Wildcard expressions or all indices are not allowed');
    }
    for (const m of cluster.catalog.resolve(expr)) cluster.deleteIndex(m.name);
    return { status: 200, body: { acknowledged: true } };
  });

  const getAliases = (req: EsRequest): EsResponse => getAlias(cluster, req.params.index, req.params.name);
  router.add('GET', '/_alias', getAliases);
  router.add('GET', '/_alias/{name}', getAliases);
  router.add('GET', '/{index}/_alias', getAliases);
  router.add('GET', '/{index}/_alias/{name}', getAliases);
  router.add('GET', '/_aliases', (req) => getAlias(cluster, req.params.index, undefined));
  const aliasExists = (req: EsRequest): EsResponse => ({
    status: getAlias(cluster, req.params.index, req.params.name).status === 200 ? 200 : 404,
  });
  router.add('HEAD', '/_alias/{name}', aliasExists);
  router.add('HEAD', '/{index}/_alias/{name}', aliasExists);

  const putAlias = (req: EsRequest): EsResponse => {
    for (const m of cluster.catalog.resolve(req.params.index)) cluster.catalog.addAlias(m, req.params.name as string);
    return { status: 200, body: { acknowledged: true } };
  };
  router.add(['PUT', 'POST'], '/{index}/_alias/{name}', putAlias);
  router.add(['PUT', 'POST'], '/{index}/_aliases/{name}', putAlias);
  const deleteAlias = (req: EsRequest): EsResponse => {
    const names = splitCommaList(req.params.name as string);
    let removed = 0;
    for (const m of cluster.catalog.resolve(req.params.index)) {
      for (const alias of [...m.aliases])
        if (names.some((n) => simpleMatch(n, alias) || n === '_all'))
          removed += cluster.catalog.removeAlias(m, alias) ? 1 : 0;
    }
    if (removed === 0) throw aliasesMissing(names);
    return { status: 200, body: { acknowledged: true } };
  };
  router.add('DELETE', '/{index}/_alias/{name}', deleteAlias);
  router.add('DELETE', '/{index}/_aliases/{name}', deleteAlias);

  router.add('POST', '/_aliases', (req) => {
    const actions = requireObjectBody(req).actions;
    if (!Array.isArray(actions) || actions.length === 0) {
      throw new EsError(400, 'action_request_validation_exception', 'Validation Failed: 1: no actions specified;');
    }
    for (const action of actions as Array<Record<string, Record<string, unknown>>>) applyAliasAction(cluster, action);
    return { status: 200, body: { acknowledged: true, errors: false } };
  });
}

function createIndex(cluster: SimCluster, req: EsRequest): EsResponse {
  const body = (req.body ?? {}) as { settings?: unknown; aliases?: Record<string, unknown> };
  const settings = validateNewIndexSettings(flattenSettings(body.settings ?? {}));
  const shards = Number(settings.get('index.number_of_shards') ?? 1);
  const replicas = Number(settings.get('index.number_of_replicas') ?? 1);
  settings.delete('index.number_of_shards');
  settings.delete('index.number_of_replicas');
  const delay = settings.get('index.unassigned.node_left.delayed_timeout');
  const meta = cluster.createIndex({
    name: req.params.index as string,
    shards,
    replicas,
    bytesPerShard: 0,
    aliases: Object.keys(body.aliases ?? {}),
    settings,
    ...(delay !== undefined
      ? { nodeLeftDelayMs: parseDuration(delay, 'index.unassigned.node_left.delayed_timeout') }
      : {}),
  });
  const primariesActive = meta.groups.every((g) =>
    g.copies.some((c) => c.primary && (c.state === 'STARTED' || c.state === 'RELOCATING')),
  );
  return { status: 200, body: { acknowledged: true, shards_acknowledged: primariesActive, index: meta.name } };
}

/** GET _alias: ES answers 404 with the flat error form and still lists the aliases it found. */
function getAlias(cluster: SimCluster, indexExpr: string | undefined, nameExpr: string | undefined): EsResponse {
  const metas = cluster.catalog.resolve(indexExpr);
  const names = nameExpr === undefined ? null : splitCommaList(nameExpr);
  const matches = (alias: string): boolean =>
    names === null || names.some((n) => n === '_all' || simpleMatch(n, alias));
  const body: Record<string, unknown> = {};
  const found = new Set<string>();
  for (const m of metas) {
    const aliases = [...m.aliases].filter(matches).sort();
    aliases.forEach((a) => found.add(a));
    // Without a name filter every index is listed, even one with no alias.
    if (aliases.length > 0 || names === null)
      body[m.name] = { aliases: Object.fromEntries(aliases.map((a) => [a, {}])) };
  }
  const missing = (names ?? []).filter((n) => n !== '_all' && !isSimpleMatchPattern(n) && !found.has(n)).sort();
  if (missing.length > 0) {
    const error = missing.length === 1 ? `alias [${missing[0]}] missing` : `aliases [${missing.join(',')}] missing`;
    return { status: 404, body: { error, status: 404, ...body } };
  }
  return { status: 200, body };
}

function aliasesMissing(names: string[]): EsError {
  return new EsError(404, 'aliases_not_found_exception', `aliases [${names.join(',')}] missing`, {
    'resource.type': 'aliases',
    'resource.id': names.join(','),
  });
}

function applyAliasAction(cluster: SimCluster, action: Record<string, Record<string, unknown>>): void {
  const [type, spec] = Object.entries(action)[0] ?? [];
  if (!type || !spec)
    throw new EsError(400, 'x_content_parse_exception', '[1:13] [alias_action] no alias action specified');
  const list = (one: unknown, many: unknown): string[] => [
    ...(one !== undefined ? [scalarText(one)] : []),
    ...(Array.isArray(many) ? many.map(String) : []),
  ];
  const indices: IndexMeta[] = list(spec.index, spec.indices).flatMap((e) => cluster.catalog.resolve(e));
  const aliases = list(spec.alias, spec.aliases);
  switch (type) {
    case 'add':
      for (const m of indices) for (const a of aliases) cluster.catalog.addAlias(m, a);
      return;
    case 'remove': {
      let removed = 0;
      for (const m of indices) for (const a of aliases) removed += cluster.catalog.removeAlias(m, a) ? 1 : 0;
      if (removed === 0 && spec.must_exist !== false) throw aliasesMissing(aliases);
      return;
    }
    case 'remove_index':
      for (const m of indices) cluster.deleteIndex(m.name);
      return;
    default:
      throw new EsError(400, 'x_content_parse_exception', `[1:13] [alias_action] unknown field [${type}]`);
  }
}
