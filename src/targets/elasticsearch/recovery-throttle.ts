import type { ClusterReader } from './cluster-reader.js';
import { SettingOverriddenError } from './allocation-writer.js';
import { DEFAULT_RECOVERY_LIMITS, RATE_KEY } from './recovery-limits.js';
import type { ClusterSettings } from './settings.js';

const A = 'cluster.routing.allocation.';
export const CONCURRENT_KEY = `${A}node_concurrent_recoveries`;
export const INCOMING_KEY = `${A}node_concurrent_incoming_recoveries`;
export const OUTGOING_KEY = `${A}node_concurrent_outgoing_recoveries`;

/** The recovery throttles a fast drain may raise, in the order the card shows them. */
export const THROTTLE_KEYS = [RATE_KEY, CONCURRENT_KEY, INCOMING_KEY, OUTGOING_KEY] as const;

/** Persistent values of throttle keys as found; `null` = not set (what a restore writes back). */
export type ThrottleValues = Record<string, string | null>;

/** The per-cluster ceilings of a fast drain (opsbot.yaml `clusters.<name>.fastRecovery`). */
export interface FastRecoveryLimits {
  maxBytesPerSec: string;
  nodeConcurrentRecoveries?: number | undefined;
  nodeConcurrentIncomingRecoveries?: number | undefined;
  nodeConcurrentOutgoingRecoveries?: number | undefined;
}

/** The opsbot.yaml key of each throttle, for messages that say what to change. */
export const LIMIT_NAMES: Record<string, keyof FastRecoveryLimits> = {
  [RATE_KEY]: 'maxBytesPerSec',
  [CONCURRENT_KEY]: 'nodeConcurrentRecoveries',
  [INCOMING_KEY]: 'nodeConcurrentIncomingRecoveries',
  [OUTGOING_KEY]: 'nodeConcurrentOutgoingRecoveries',
};

const UNIT: Record<string, number> = { b: 0, k: 1, kb: 1, m: 2, mb: 2, g: 3, gb: 3, t: 4, tb: 4, p: 5, pb: 5 };

/** A byte size as ES parses one (`400mb`, `1g`, `512kb`, binary units; `0` alone); undefined otherwise. */
export function parseEsByteSize(value: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)\s*([a-z]*)$/.exec(value.trim().toLowerCase());
  if (!m) return undefined;
  if (m[2] === '') return Number(m[1]) === 0 ? 0 : undefined;
  const power = UNIT[m[2]!];
  return power === undefined ? undefined : Number(m[1]) * 1024 ** power;
}

/** The settings a fast drain writes for these limits (only the keys configured). */
export function fastSettings(limits: FastRecoveryLimits): Record<string, string> {
  const out: Record<string, string> = { [RATE_KEY]: limits.maxBytesPerSec };
  if (limits.nodeConcurrentRecoveries !== undefined) out[CONCURRENT_KEY] = String(limits.nodeConcurrentRecoveries);
  if (limits.nodeConcurrentIncomingRecoveries !== undefined)
    out[INCOMING_KEY] = String(limits.nodeConcurrentIncomingRecoveries);
  if (limits.nodeConcurrentOutgoingRecoveries !== undefined)
    out[OUTGOING_KEY] = String(limits.nodeConcurrentOutgoingRecoveries);
  return out;
}

/**
 * The value ES applies for a throttle key, as ES writes it: transient over persistent over the
 * default; the per-direction counts fall back to `node_concurrent_recoveries` as in ES.
 */
export function effectiveThrottle(s: ClusterSettings, key: string): string {
  const explicit = (k: string) => s.transient[k] ?? s.persistent[k];
  if (key === RATE_KEY) return explicit(RATE_KEY) ?? '40mb';
  const both = explicit(CONCURRENT_KEY) ?? String(DEFAULT_RECOVERY_LIMITS.incoming);
  return key === CONCURRENT_KEY ? both : (explicit(key) ?? both);
}

/** A throttle value as a number to compare: bytes per second (0 = unthrottled = Infinity) or a count. */
export function throttleMagnitude(key: string, value: string): number {
  if (key !== RATE_KEY) return Number(value);
  const bytes = parseEsByteSize(value);
  return bytes === 0 ? Number.POSITIVE_INFINITY : (bytes ?? Number.NaN);
}

/** "40mb, 2 in, 2 out": the effective throttles in a line. */
export function describeThrottles(s: ClusterSettings): string {
  return (
    `${effectiveThrottle(s, RATE_KEY)}/s, ${effectiveThrottle(s, INCOMING_KEY)} in and ` +
    `${effectiveThrottle(s, OUTGOING_KEY)} out per node`
  );
}

export interface ThrottleChange {
  /** Persistent values found just before the write (null: unset). */
  before: ThrottleValues;
  /** The effective values read back after it. */
  after: Record<string, string>;
  written: boolean;
}

/**
 * Write side of the recovery throttles: persistent settings, read back as effective values
 * (transient wins). A restore puts back the exact persistent values found (null removes the
 * setting), and only where the value is still the one this run wrote (I4): a value someone else
 * set meanwhile is theirs and stays.
 */
export class RecoveryThrottleWriter {
  /** `onWritten`: as for AllocationWriter, called as soon as ES accepted a write, before the read-back. */
  constructor(
    private readonly cluster: ClusterReader,
    private readonly opts: { onWritten?: () => Promise<void> } = {},
  ) {}

  /** The persistent values of `keys` now (null: unset): what a restore must bring back. */
  async current(keys: readonly string[]): Promise<ThrottleValues> {
    const s = await this.cluster.settings();
    return Object.fromEntries(keys.map((k) => [k, s.persistent[k] ?? null]));
  }

  /** Writes `values` (persistent) and checks they are in force. Throws when a transient value overrides one. */
  async raise(values: Record<string, string>, before?: ThrottleValues): Promise<ThrottleChange> {
    const found = before ?? (await this.current(Object.keys(values)));
    const changed = Object.entries(values).filter(([k, v]) => found[k] !== v);
    if (changed.length) await this.put(Object.fromEntries(changed));
    const now = await this.cluster.settings();
    const after = this.check(now, values);
    return { before: found, after, written: changed.length > 0 };
  }

  /**
   * Puts back `before` for every key whose persistent value is still what this run wrote
   * (`wrote`). Returns the keys restored and the keys left (someone else's value now).
   */
  async restore(
    before: ThrottleValues,
    wrote: Record<string, string>,
  ): Promise<{ restored: string[]; left: { key: string; value: string | null }[]; after: Record<string, string> }> {
    const s = await this.cluster.settings();
    const restored: string[] = [];
    const left: { key: string; value: string | null }[] = [];
    const body: Record<string, string | null> = {};
    for (const [key, value] of Object.entries(wrote)) {
      const now = s.persistent[key] ?? null;
      if (now === (before[key] ?? null)) continue; // already as it was
      if (now !== value) {
        left.push({ key, value: now });
        continue;
      }
      body[key] = before[key] ?? null;
      restored.push(key);
    }
    if (restored.length) await this.put(body);
    const read = await this.cluster.settings();
    for (const key of restored) {
      const want = before[key] ?? null;
      const persistent = read.persistent[key] ?? null;
      if (persistent !== want) throw new SettingOverriddenError(key, want ?? 'unset', persistent ?? 'unset', undefined);
    }
    const after = Object.fromEntries(Object.keys(wrote).map((k) => [k, effectiveThrottle(read, k)]));
    return { restored, left, after };
  }

  private check(s: ClusterSettings, values: Record<string, string>): Record<string, string> {
    const after: Record<string, string> = {};
    for (const [key, value] of Object.entries(values)) {
      const effective = effectiveThrottle(s, key);
      if (throttleMagnitude(key, effective) !== throttleMagnitude(key, value))
        throw new SettingOverriddenError(key, value, effective, s.transient[key]);
      after[key] = effective;
    }
    return after;
  }

  private async put(persistent: Record<string, string | null>): Promise<void> {
    await this.cluster.call(() => this.cluster.client.cluster.putSettings({ persistent }));
    await this.opts.onWritten?.();
  }
}
