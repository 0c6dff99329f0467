/**
 * The REST APIs the YAML tests call, as rest-api-spec describes them (api/*.json): methods and
 * URL paths with their parts. Only the APIs the simulator serves are listed; a test calling any
 * other API fails with that API's name, which is what the manifest's skip reasons point at.
 */
export interface ApiSpec {
  methods: string[];
  /** Path templates, most specific first is not required: the one using the most given parts wins. */
  paths: string[];
}

export const APIS: Record<string, ApiSpec> = {
  'cat.aliases': { methods: ['GET'], paths: ['/_cat/aliases', '/_cat/aliases/{name}'] },
  'cat.allocation': { methods: ['GET'], paths: ['/_cat/allocation', '/_cat/allocation/{node_id}'] },
  'cat.health': { methods: ['GET'], paths: ['/_cat/health'] },
  'cat.help': { methods: ['GET'], paths: ['/_cat'] },
  'cat.indices': { methods: ['GET'], paths: ['/_cat/indices', '/_cat/indices/{index}'] },
  'cat.nodes': { methods: ['GET'], paths: ['/_cat/nodes'] },
  'cat.recovery': { methods: ['GET'], paths: ['/_cat/recovery', '/_cat/recovery/{index}'] },
  'cat.shards': { methods: ['GET'], paths: ['/_cat/shards', '/_cat/shards/{index}'] },
  'cluster.allocation_explain': { methods: ['POST', 'GET'], paths: ['/_cluster/allocation/explain'] },
  'cluster.get_settings': { methods: ['GET'], paths: ['/_cluster/settings'] },
  'cluster.health': { methods: ['GET'], paths: ['/_cluster/health', '/_cluster/health/{index}'] },
  'cluster.put_settings': { methods: ['PUT'], paths: ['/_cluster/settings'] },
  'indices.add_block': { methods: ['PUT'], paths: ['/{index}/_block/{block}'] },
  'indices.close': { methods: ['POST'], paths: ['/{index}/_close'] },
  'indices.create': { methods: ['PUT'], paths: ['/{index}'] },
  'indices.delete': { methods: ['DELETE'], paths: ['/{index}'] },
  'indices.delete_alias': { methods: ['DELETE'], paths: ['/{index}/_alias/{name}'] },
  'indices.exists': { methods: ['HEAD'], paths: ['/{index}'] },
  'indices.exists_alias': { methods: ['HEAD'], paths: ['/_alias/{name}', '/{index}/_alias/{name}'] },
  'indices.get': { methods: ['GET'], paths: ['/{index}'] },
  'indices.get_alias': {
    methods: ['GET'],
    paths: ['/_alias', '/_alias/{name}', '/{index}/_alias', '/{index}/_alias/{name}'],
  },
  'indices.get_settings': {
    methods: ['GET'],
    paths: ['/_settings', '/{index}/_settings', '/{index}/_settings/{name}', '/_settings/{name}'],
  },
  'indices.open': { methods: ['POST'], paths: ['/{index}/_open'] },
  'indices.put_alias': { methods: ['PUT'], paths: ['/{index}/_alias/{name}'] },
  'indices.put_settings': { methods: ['PUT'], paths: ['/_settings', '/{index}/_settings'] },
  'indices.remove_block': { methods: ['DELETE'], paths: ['/{index}/_block/{block}'] },
  'indices.update_aliases': { methods: ['POST'], paths: ['/_aliases'] },
};
