import { parseBytes, parseDuration } from './units.js';
import { isSimpleMatchPattern, splitCommaList } from './wildcard.js';

/**
 * The dynamic cluster settings the simulator recognises, with ES's defaults and ES's own
 * validation messages. Anything else is refused the way ES refuses it
 * ("persistent setting [x], not recognized"), so a typo in a runbook step fails loudly here too.
 */
export type SettingValue = string | string[];

interface SettingDef {
  /** Exact key, or a group prefix ending with '.' (exclude.*, logger.*). */
  key: string;
  default?: SettingValue;
  validate?: (value: SettingValue, key: string) => void;
}

const asText = (v: SettingValue): string => (Array.isArray(v) ? v.join(',') : v);

function oneOf(label: string, allowed: string[]): (v: SettingValue) => void {
  return (v) => {
    const text = asText(v);
    if (!allowed.includes(text.toLowerCase())) throw new Error(`Illegal ${label} value [${text.toUpperCase()}]`);
  };
}

export function intAtLeast(min: number): (v: SettingValue, key: string) => void {
  return (v, key) => {
    const text = asText(v).trim();
    if (!/^-?\d+$/.test(text)) throw new Error(`Failed to parse value [${text}] for setting [${key}]`);
    if (Number(text) < min) throw new Error(`Failed to parse value [${text}] for setting [${key}] must be >= ${min}`);
  };
}

export function bool(v: SettingValue): void {
  const text = asText(v);
  if (text !== 'true' && text !== 'false') {
    throw new Error(`Failed to parse value [${text}] as only [true] or [false] are allowed.`);
  }
}

function bytes(v: SettingValue, key: string): void {
  parseBytes(asText(v), key);
}

/** RelativeByteSizeValue: a used-disk percentage ("85%"), a ratio ("0.85") or free bytes ("500gb"). */
function watermark(v: SettingValue, key: string): void {
  const text = asText(v).trim();
  if (/^\d+(\.\d+)?%$/.test(text) && Number(text.slice(0, -1)) <= 100) return;
  if (/^\d+(\.\d+)?$/.test(text) && Number(text) <= 1) return;
  parseBytes(text, key);
}

/** Filters on `_ip` must hold IP addresses or wildcard patterns (DiscoveryNodeFilters.validateIpValue). */
export function filterValue(v: SettingValue, key: string): void {
  if (!/\._(host_|publish_)?ip$/.test(key)) return;
  for (const value of (Array.isArray(v) ? v : [v]).flatMap(splitCommaList)) {
    if (!isSimpleMatchPattern(value) && !isIpAddress(value)) {
      throw new Error(`invalid IP address [${value}] for [${key}]`);
    }
  }
}

function isIpAddress(text: string): boolean {
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (v4) return v4.slice(1).every((p) => Number(p) <= 255);
  return /^[0-9a-fA-F:]+$/.test(text) && text.includes(':');
}

function duration(v: SettingValue, key: string): void {
  parseDuration(asText(v), key);
}

const A = 'cluster.routing.allocation.';

const DEFS: SettingDef[] = [
  {
    key: `${A}enable`,
    default: 'all',
    validate: oneOf('allocation.enable', ['all', 'primaries', 'new_primaries', 'none']),
  },
  {
    key: 'cluster.routing.rebalance.enable',
    default: 'all',
    validate: oneOf('rebalance.enable', ['all', 'primaries', 'replicas', 'none']),
  },
  {
    key: `${A}allow_rebalance`,
    default: 'indices_all_active',
    validate: (v) => {
      const t = asText(v).toLowerCase();
      if (!['always', 'indices_primaries_active', 'indices_all_active'].includes(t)) {
        throw new Error(`Illegal value for ${A}allow_rebalance: ${asText(v)}`);
      }
    },
  },
  { key: `${A}cluster_concurrent_rebalance`, default: '2', validate: intAtLeast(-1) },
  { key: `${A}node_concurrent_recoveries`, default: '2', validate: intAtLeast(0) },
  { key: `${A}node_concurrent_incoming_recoveries`, default: '2', validate: intAtLeast(0) },
  { key: `${A}node_concurrent_outgoing_recoveries`, default: '2', validate: intAtLeast(0) },
  { key: `${A}node_initial_primaries_recoveries`, default: '4', validate: intAtLeast(0) },
  { key: `${A}disk.threshold_enabled`, default: 'true', validate: bool },
  { key: `${A}disk.watermark.low`, default: '85%', validate: watermark },
  { key: `${A}disk.watermark.high`, default: '90%', validate: watermark },
  { key: `${A}disk.watermark.flood_stage`, default: '95%', validate: watermark },
  { key: `${A}disk.watermark.low.max_headroom`, default: '200gb', validate: bytes },
  { key: `${A}disk.watermark.high.max_headroom`, default: '150gb', validate: bytes },
  { key: `${A}disk.watermark.flood_stage.max_headroom`, default: '100gb', validate: bytes },
  { key: `${A}disk.reroute_interval`, default: '60s', validate: duration },
  { key: `${A}awareness.attributes`, default: [] },
  { key: `${A}awareness.force.` },
  { key: `${A}exclude.`, validate: filterValue },
  { key: `${A}include.`, validate: filterValue },
  { key: `${A}require.`, validate: filterValue },
  { key: `${A}same_shard.host`, default: 'false', validate: bool },
  { key: `${A}total_shards_per_node`, default: '-1', validate: intAtLeast(-1) },
  { key: `${A}balance.shard`, default: '0.45' },
  { key: `${A}balance.index`, default: '0.55' },
  { key: `${A}balance.threshold`, default: '1.0' },
  { key: 'indices.recovery.max_bytes_per_sec', default: '40mb', validate: bytes },
  { key: 'cluster.info.update.interval', default: '30s', validate: duration },
  { key: 'cluster.max_shards_per_node', default: '1000', validate: intAtLeast(1) },
  { key: 'action.destructive_requires_name', default: 'true', validate: bool },
  { key: 'logger.' },
];

function findDef(key: string): SettingDef | undefined {
  return DEFS.find((d) => (d.key.endsWith('.') ? key.startsWith(d.key) && key.length > d.key.length : d.key === key));
}

export function isKnownSetting(key: string): boolean {
  return findDef(key) !== undefined || key.startsWith('archived.');
}

/** Throws ES's message for a bad value; the caller turns it into illegal_argument_exception. */
export function validateSetting(key: string, value: SettingValue): void {
  findDef(key)?.validate?.(value, key);
}

export function defaultOf(key: string): SettingValue | undefined {
  return findDef(key)?.default;
}

/** Every exact key with a default (for `include_defaults=true`). */
export function allDefaults(): Array<[string, SettingValue]> {
  return DEFS.filter((d) => d.default !== undefined && !d.key.endsWith('.')).map((d) => [
    d.key,
    d.default as SettingValue,
  ]);
}
