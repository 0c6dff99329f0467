import { defaultOf, isKnownSetting, validateSetting, type SettingValue } from './settings-catalog.js';
import { flattenSettings, type FlatUpdate } from './settings-shape.js';
import { simpleMatch } from './wildcard.js';

/** A refused settings update, carrying the ES error type and message. */
export class SettingsError extends Error {
  constructor(
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

export interface AppliedSettings {
  persistent: Map<string, SettingValue>;
  transient: Map<string, SettingValue>;
}

type Scope = 'persistent' | 'transient';

/**
 * Persistent and transient cluster settings. The effective value of a key is the transient one,
 * else the persistent one, else the default: exactly ES's precedence, and the reason the runbook
 * says to look at transient settings before draining (a balancer once set transient ones).
 */
export class ClusterSettings {
  readonly persistent = new Map<string, SettingValue>();
  readonly transient = new Map<string, SettingValue>();
  /** Bumped on every change, so derived allocation config is rebuilt only when needed. */
  version = 0;

  /** Validates the whole request first, then applies it: ES commits all or nothing. */
  update(body: { persistent?: unknown; transient?: unknown }): AppliedSettings {
    const updates: Array<[Scope, FlatUpdate]> = [
      ['transient', flattenSettings(body.transient ?? {})],
      ['persistent', flattenSettings(body.persistent ?? {})],
    ];
    for (const [scope, flat] of updates) {
      for (const [key, value] of flat) {
        const wildcardRemoval = value === null && key.includes('*');
        if (!wildcardRemoval && !isKnownSetting(key)) {
          throw new SettingsError('illegal_argument_exception', `${scope} setting [${key}], not recognized`);
        }
        if (value !== null) this.validate(key, value);
      }
    }
    const before = { persistent: new Map(this.persistent), transient: new Map(this.transient) };
    const applied: AppliedSettings = { persistent: new Map(), transient: new Map() };
    for (const [scope, flat] of updates) {
      const target = scope === 'persistent' ? this.persistent : this.transient;
      for (const [key, value] of flat) {
        if (value === null) {
          for (const existing of [...target.keys()]) if (simpleMatch(key, existing)) target.delete(existing);
        } else {
          target.set(key, value);
          applied[scope].set(key, value);
        }
      }
    }
    try {
      this.checkWatermarkOrder();
    } catch (e) {
      this.restore(before);
      throw e;
    }
    this.version++;
    return applied;
  }

  /** Effective explicit value (transient over persistent), without defaults. */
  explicit(key: string): SettingValue | undefined {
    return this.transient.get(key) ?? this.persistent.get(key);
  }

  /** Effective value including ES's default. */
  effective(key: string): SettingValue | undefined {
    return this.explicit(key) ?? defaultOf(key);
  }

  effectiveText(key: string): string {
    const v = this.effective(key);
    return Array.isArray(v) ? v.join(',') : (v ?? '');
  }

  /** An affix group such as `cluster.routing.allocation.exclude.`: attribute → value, transient winning per key. */
  group(prefix: string): Map<string, SettingValue> {
    const out = new Map<string, SettingValue>();
    for (const source of [this.persistent, this.transient]) {
      for (const [key, value] of source) if (key.startsWith(prefix)) out.set(key.slice(prefix.length), value);
    }
    return out;
  }

  private restore(before: { persistent: Map<string, SettingValue>; transient: Map<string, SettingValue> }): void {
    for (const [target, saved] of [
      [this.persistent, before.persistent],
      [this.transient, before.transient],
    ] as const) {
      target.clear();
      for (const [k, v] of saved) target.set(k, v);
    }
  }

  private validate(key: string, value: SettingValue): void {
    try {
      validateSetting(key, value);
    } catch (e) {
      throw new SettingsError('illegal_argument_exception', (e as Error).message);
    }
  }

  /** DiskThresholdSettings refuses a low watermark above the high one (percent forms only here). */
  private checkWatermarkOrder(): void {
    const pct = (k: string): number | null => {
      const t = this.effectiveText(k);
      return t.endsWith('%') ? Number(t.slice(0, -1)) : null;
    };
    const low = pct('cluster.routing.allocation.disk.watermark.low');
    const high = pct('cluster.routing.allocation.disk.watermark.high');
    if (low !== null && high !== null && low > high) {
      const message = `low disk watermark [${low}%] more than high disk watermark [${high}%]`;
      throw new SettingsError('illegal_argument_exception', message);
    }
  }
}
