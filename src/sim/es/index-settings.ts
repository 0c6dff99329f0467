import { EsError, illegalArgument } from './es-error.js';
import { NodeFilters } from './node-filters.js';
import { bool, filterValue, intAtLeast, type SettingValue } from './settings-catalog.js';
import type { IndexAllocation, IndexMeta } from './types.js';
import { parseDuration } from './units.js';
import { simpleMatch } from './wildcard.js';

/**
 * The index settings the simulator models (IndexMetadata / IndexScopedSettings): which keys
 * exist, their defaults, which are dynamic, and ES's validation messages. Explicit values live in
 * `IndexMeta.settings` (flat `index.*` keys); the allocation-relevant ones are parsed once per
 * change into `IndexMeta.allocation`, which the deciders read.
 */
interface IndexSettingDef {
  /** Exact key, or a group prefix ending with '.' (index.routing.allocation.require.*). */
  key: string;
  default?: string;
  dynamic: boolean;
  /** Final settings (number_of_shards) may never change, even on a closed index. */
  final?: boolean;
  validate?: (value: SettingValue, key: string) => void;
}

const R = 'index.routing.allocation.';

function duration(v: SettingValue, key: string): void {
  parseDuration(Array.isArray(v) ? v.join(',') : v, key);
}

function durability(v: SettingValue): void {
  const text = Array.isArray(v) ? v.join(',') : v;
  if (!['request', 'async'].includes(text.toLowerCase()))
    throw new Error(`No enum constant org.elasticsearch.index.translog.Translog.Durability.${text.toUpperCase()}`);
}

const DEFS: IndexSettingDef[] = [
  { key: 'index.number_of_shards', default: '1', dynamic: false, final: true, validate: intAtLeast(1) },
  { key: 'index.number_of_replicas', default: '1', dynamic: true, validate: intAtLeast(0) },
  { key: 'index.unassigned.node_left.delayed_timeout', default: '1m', dynamic: true, validate: duration },
  { key: `${R}require.`, dynamic: true, validate: filterValue },
  { key: `${R}include.`, dynamic: true, validate: filterValue },
  { key: `${R}exclude.`, dynamic: true, validate: filterValue },
  { key: `${R}total_shards_per_node`, default: '-1', dynamic: true, validate: intAtLeast(-1) },
  { key: `${R}enable`, default: 'all', dynamic: true },
  { key: 'index.routing.rebalance.enable', default: 'all', dynamic: true },
  { key: 'index.blocks.read_only', default: 'false', dynamic: true, validate: bool },
  { key: 'index.blocks.read_only_allow_delete', default: 'false', dynamic: true, validate: bool },
  { key: 'index.blocks.read', default: 'false', dynamic: true, validate: bool },
  { key: 'index.blocks.write', default: 'false', dynamic: true, validate: bool },
  { key: 'index.blocks.metadata', default: 'false', dynamic: true, validate: bool },
  { key: 'index.refresh_interval', default: '1s', dynamic: true, validate: duration },
  { key: 'index.auto_expand_replicas', default: 'false', dynamic: true },
  { key: 'index.priority', default: '1', dynamic: true, validate: intAtLeast(0) },
  { key: 'index.hidden', default: 'false', dynamic: true, validate: bool },
  { key: 'index.max_result_window', default: '10000', dynamic: true, validate: intAtLeast(1) },
  { key: 'index.codec', default: 'default', dynamic: false },
  { key: 'index.translog.durability', default: 'REQUEST', dynamic: true, validate: durability },
  { key: 'index.query_string.lenient', default: 'false', dynamic: true, validate: bool },
  { key: 'index.number_of_routing_shards', dynamic: false, final: true, validate: intAtLeast(1) },
];

/** Keys ES computes for every index and lists with its settings (never set by a request). */
const PRIVATE = new Set(['index.uuid', 'index.provided_name', 'index.creation_date', 'index.version.created']);

function findDef(key: string): IndexSettingDef | undefined {
  return DEFS.find((d) => (d.key.endsWith('.') ? key.startsWith(d.key) && key.length > d.key.length : d.key === key));
}

function unknownSetting(key: string): EsError {
  return illegalArgument(
    `unknown setting [${key}] please check that any required plugins are installed, ` +
      'or check the breaking changes documentation for removed settings',
  );
}

/** `number_of_replicas` and `index.number_of_replicas` name the same setting, as in ES. */
export function normalizeIndexKey(key: string): string {
  return key.startsWith('index.') ? key : `index.${key}`;
}

/** Validates keys and values for index creation (any known key) and returns them as flat text. */
export function validateNewIndexSettings(flat: Map<string, SettingValue | null>): Map<string, string> {
  const out = new Map<string, string>();
  for (const [rawKey, value] of flat) {
    const key = normalizeIndexKey(rawKey);
    if (value === null) continue;
    const def = findDef(key);
    if (!def) throw unknownSetting(key);
    validateValue(def, key, value);
    out.set(key, Array.isArray(value) ? value.join(',') : value);
  }
  return out;
}

/**
 * PUT /{index}/_settings on the given indices: all or nothing, with ES's refusals for unknown
 * keys, final keys, and static keys on open indices. A null value resets to the default.
 */
export function updateIndexSettings(
  metas: IndexMeta[],
  flat: Map<string, SettingValue | null>,
  opts: { preserveExisting?: boolean } = {},
): void {
  const updates = new Map<string, string | null>();
  const staticKeys: string[] = [];
  for (const [rawKey, value] of flat) {
    const key = normalizeIndexKey(rawKey);
    const def = findDef(key);
    if (!def && !PRIVATE.has(key)) throw unknownSetting(key);
    if (!def || def.final) throw illegalArgument(`final index setting [${key}], not updateable`);
    if (!def.dynamic) staticKeys.push(key);
    if (value !== null) validateValue(def, key, value);
    updates.set(key, value === null ? null : Array.isArray(value) ? value.join(',') : value);
  }
  const open = metas.filter((m) => !m.closed);
  if (staticKeys.length > 0 && open.length > 0) {
    throw illegalArgument(
      `Can't update non dynamic settings [[${staticKeys.join(', ')}]] for open indices ` +
        `[${open.map((m) => `[${m.name}/${m.uuid}]`).join(', ')}]`,
    );
  }
  for (const meta of metas) {
    const present = opts.preserveExisting ? indexSettingsOf(meta, 0) : null;
    for (const [key, value] of updates) {
      // preserve_existing: only settings the index does not have yet are written.
      if (present?.has(key)) continue;
      if (value !== null) meta.settings.set(key, value);
      else for (const k of [...meta.settings.keys()]) if (simpleMatch(key, k)) meta.settings.delete(k);
    }
    meta.allocation = parseIndexAllocation(meta.settings);
  }
}

function validateValue(def: IndexSettingDef, key: string, value: SettingValue): void {
  try {
    def.validate?.(value, key);
  } catch (e) {
    throw illegalArgument((e as Error).message);
  }
}

/** The parsed form deciders read: filters and the per-node shard limit. */
export function parseIndexAllocation(settings: Map<string, string>): IndexAllocation {
  const group = (prefix: string): Map<string, string> => {
    const out = new Map<string, string>();
    for (const [k, v] of settings) if (k.startsWith(prefix)) out.set(k.slice(prefix.length), v);
    return out;
  };
  return {
    require: NodeFilters.build('AND', group(`${R}require.`)),
    include: NodeFilters.build('OR', group(`${R}include.`)),
    exclude: NodeFilters.build('OR', group(`${R}exclude.`)),
    totalShardsPerNode: Number(settings.get(`${R}total_shards_per_node`) ?? '-1'),
  };
}

/** Does anything index-level constrain where this index's copies may be (and stay)? */
export function isConstrained(a: IndexAllocation): boolean {
  return a.require !== null || a.include !== null || a.exclude !== null || a.totalShardsPerNode > 0;
}

export function indexBlock(meta: IndexMeta, block: 'read_only' | 'read_only_allow_delete' | 'write'): boolean {
  return meta.settings.get(`index.blocks.${block}`) === 'true';
}

/** Every setting GET /{index}/_settings lists for an index: explicit ones plus those ES computes. */
export function indexSettingsOf(meta: IndexMeta, createdVersion: number): Map<string, string> {
  const out = new Map<string, string>([
    ['index.number_of_shards', String(meta.shards)],
    ['index.number_of_replicas', String(meta.replicas)],
    ['index.uuid', meta.uuid],
    ['index.provided_name', meta.name],
    ['index.creation_date', String(meta.creationDate)],
    ['index.version.created', String(createdVersion)],
    ['index.routing.allocation.include._tier_preference', 'data_content'],
  ]);
  for (const [k, v] of meta.settings) if (!out.has(k)) out.set(k, v);
  return out;
}

/** `include_defaults=true`: the defaults of the settings this index does not set. */
export function indexDefaultsOf(explicit: Map<string, string>): Map<string, string> {
  const out = new Map<string, string>();
  for (const d of DEFS) {
    if (d.default === undefined || d.key.endsWith('.') || explicit.has(d.key)) continue;
    out.set(d.key, d.default);
  }
  return out;
}

/** The keys of an update that only a closed index accepts (for `reopen=true`). */
export function staticKeysOf(flat: Map<string, SettingValue | null>): string[] {
  return [...flat.keys()].map(normalizeIndexKey).filter((k) => {
    const def = findDef(k);
    return def !== undefined && !def.dynamic && !def.final;
  });
}
