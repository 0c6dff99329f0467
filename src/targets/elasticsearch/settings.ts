/** Cluster settings as ES returns them with flat_settings=true: dotted keys, string values. */
export type FlatSettings = Record<string, string>;
export interface ClusterSettings {
  persistent: FlatSettings;
  transient: FlatSettings;
}

/** The settings the runbook touches: allocation filters, enable, recovery. Shown side by side. */
export function isAllocationSetting(key: string): boolean {
  return key.startsWith('cluster.routing.') || key.startsWith('indices.recovery.');
}

/** ES answers flat_settings with strings, numbers, booleans or arrays; we show them as ES's strings. */
export function toFlat(obj: Record<string, unknown> | undefined): FlatSettings {
  const out: FlatSettings = {};
  for (const [k, v] of Object.entries(obj ?? {})) {
    if (v === null || v === undefined) continue;
    out[k] = Array.isArray(v)
      ? v.join(',')
      : typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean'
        ? String(v)
        : JSON.stringify(v);
  }
  return out;
}

export interface SettingRow {
  key: string;
  persistent?: string;
  transient?: string;
  /** What ES applies: transient wins over persistent. */
  effective?: string;
  /** A transient value hides a different persistent one: a persistent change to this key does nothing. */
  overridden: boolean;
}

/**
 * The runbook's warning, made mechanical: "be sure the transient settings for the same do not
 * interfere with your plans". A transient key set to a value other than the persistent one wins
 * silently in ES, including the empty string (which clears a persistent exclusion).
 */
export function compareSettings(
  s: ClusterSettings,
  filter: (key: string) => boolean = isAllocationSetting,
): SettingRow[] {
  const keys = new Set([...Object.keys(s.persistent), ...Object.keys(s.transient)].filter(filter));
  return [...keys].sort().map((key) => {
    const persistent = s.persistent[key];
    const transient = s.transient[key];
    return {
      key,
      persistent,
      transient,
      effective: transient ?? persistent,
      overridden: transient !== undefined && persistent !== undefined && transient !== persistent,
    };
  });
}

/** The value ES applies for a key: transient over persistent; undefined when neither is set. */
export function effectiveSetting(s: ClusterSettings, key: string): string | undefined {
  return s.transient[key] ?? s.persistent[key];
}
