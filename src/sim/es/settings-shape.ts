import type { SettingValue } from './settings-catalog.js';
import { scalarText } from '../scalar-text.js';

/**
 * Conversions between the two ways ES writes settings: flat ("a.b.c": "v") and nested
 * ({"a":{"b":{"c":"v"}}}). Requests may mix both; responses are nested unless flat_settings=true.
 */

export type FlatUpdate = Map<string, SettingValue | null>;

/** Flattens a request object; values become strings as ES stores them; null means "remove". */
export function flattenSettings(input: unknown, prefix = '', out: FlatUpdate = new Map()): FlatUpdate {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) return out;
  for (const [key, value] of Object.entries(input as Record<string, unknown>)) {
    const full = prefix + key;
    if (value === null) out.set(full, null);
    else if (Array.isArray(value))
      out.set(
        full,
        value.map((v) => String(v)),
      );
    else if (typeof value === 'object') flattenSettings(value, `${full}.`, out);
    else out.set(full, scalarText(value));
  }
  return out;
}

/** Flat map for `flat_settings=true`: keys sorted as ES's TreeMap-backed Settings are. */
export function toFlatObject(settings: Map<string, SettingValue>): Record<string, SettingValue> {
  const out: Record<string, SettingValue> = {};
  for (const key of [...settings.keys()].sort()) out[key] = settings.get(key) as SettingValue;
  return out;
}

type Tree = { [key: string]: SettingValue | Tree };

/**
 * Settings.getAsStructuredMap: nests on dots, but when a key is both a value and a prefix
 * (watermark.low and watermark.low.max_headroom) the deeper one keeps its dotted remainder.
 */
export function toNestedObject(settings: Map<string, SettingValue>): Tree {
  const root: Tree = {};
  for (const key of [...settings.keys()].sort()) place(root, '', key, settings.get(key) as SettingValue);
  return root;
}

function place(map: Tree, prefix: string, setting: string, value: SettingValue): void {
  const dot = setting.indexOf('.');
  if (dot === -1) {
    const existing = map[prefix + setting];
    if (existing !== undefined && isTree(existing)) {
      for (const [k, v] of Object.entries(existing)) map[`${prefix}${setting}.${k}`] = v;
    }
    map[prefix + setting] = value;
    return;
  }
  const head = setting.slice(0, dot);
  const rest = setting.slice(dot + 1);
  const existing = map[prefix + head];
  if (existing === undefined) {
    const inner: Tree = {};
    place(inner, '', rest, value);
    map[prefix + head] = inner;
  } else if (isTree(existing)) {
    place(existing, '', rest, value);
  } else {
    place(map, `${prefix}${head}.`, rest, value);
  }
}

function isTree(v: SettingValue | Tree): v is Tree {
  return typeof v === 'object' && !Array.isArray(v);
}
