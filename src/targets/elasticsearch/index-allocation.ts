import { splitList, type FilterKind } from './allocation-filters.js';
import type { ClusterReader } from './cluster-reader.js';
import { toFlat, type FlatSettings } from './settings.js';

/** What one index's settings say about where its copies may go. */
export interface IndexAllocation {
  replicas: number;
  /** `index.routing.allocation.require|include|exclude.ATTR` (tier keys left out: see tierPreference). */
  filters: Record<FilterKind, Record<string, string[]>>;
  /** `index.routing.allocation.total_shards_per_node`; -1: no limit. */
  totalShardsPerNode: number;
  /** `index.routing.allocation.include._tier_preference`, e.g. ['data_hot', 'data_content']. */
  tierPreference: string[];
}

/**
 * Every index's allocation settings, one call (`GET _all/_settings/NAMES`, only the keys the
 * deciders read), flattened whether the cluster answers flat or nested. Closed and hidden indices
 * count: their shards move too.
 */
export async function readIndexAllocations(cluster: ClusterReader): Promise<Record<string, IndexAllocation>> {
  const answer = await cluster.call(() =>
    cluster.client.indices.getSettings({
      index: '_all',
      name: ['index.number_of_replicas', 'index.routing.allocation.*'],
      flat_settings: true,
      expand_wildcards: 'all',
    }),
  );
  const out: Record<string, IndexAllocation> = {};
  for (const [name, body] of Object.entries(answer)) out[name] = indexAllocation(flatten(body.settings));
  return out;
}

/** One index's flat settings (`index.number_of_replicas`, ...) read as allocation inputs. */
export function indexAllocation(s: FlatSettings): IndexAllocation {
  const filters: IndexAllocation['filters'] = { require: {}, include: {}, exclude: {} };
  for (const [key, value] of Object.entries(s)) {
    const m = /^index\.routing\.allocation\.(require|include|exclude)\.(.+)$/.exec(key);
    // ES's filter decider ignores the _tier keys; the data tier decider reads them.
    if (!m || m[2]!.startsWith('_tier')) continue;
    const values = splitList(value);
    if (values.length) filters[m[1] as FilterKind][m[2]!] = values;
  }
  return {
    replicas: Number(s['index.number_of_replicas'] ?? 1),
    filters,
    totalShardsPerNode: Number(s['index.routing.allocation.total_shards_per_node'] ?? -1),
    tierPreference: splitList(s['index.routing.allocation.include._tier_preference']),
  };
}

/** Nested settings ({index: {routing: ...}}) or flat ones, as dotted keys and ES's strings. */
function flatten(obj: unknown, prefix = ''): FlatSettings {
  if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) return {};
  const out: FlatSettings = {};
  for (const [k, v] of Object.entries(obj as Record<string, unknown>)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) Object.assign(out, flatten(v, key));
    else Object.assign(out, toFlat({ [key]: v }));
  }
  return out;
}
