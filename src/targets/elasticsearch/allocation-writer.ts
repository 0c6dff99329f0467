import { OperatorError } from '../../problem.js';
import type { ClusterReader } from './cluster-reader.js';
import { splitList } from './allocation-filters.js';
import { effectiveSetting, type ClusterSettings } from './settings.js';

export type ExcludeAttribute = '_ip' | '_name';
/** What an exclusion list filters on: an ExcludeAttribute, or a custom node attribute such as `zone`. */
export type FilterAttribute = ExcludeAttribute | (string & {});
export type AllocationEnable = 'all' | 'primaries' | 'new_primaries' | 'none';

export const excludeKey = (attr: string) => `cluster.routing.allocation.exclude.${attr}`;
export const ENABLE_KEY = 'cluster.routing.allocation.enable';

/** The `allocation.enable` ES applies: transient over persistent; unset means `all`. */
export function effectiveEnable(s: ClusterSettings): string {
  return effectiveSetting(s, ENABLE_KEY) ?? 'all';
}

/** A persistent write that is not in force: a transient value (or a later writer) overrides it. */
export class SettingOverriddenError extends OperatorError {
  constructor(
    readonly key: string,
    readonly wanted: string,
    readonly effective: string,
    transient: string | undefined,
  ) {
    super(
      transient !== undefined
        ? `transient ${key} = "${transient}" overrides the persistent "${wanted}" just written: ` +
            `${key} is still "${effective}"`
        : `${key} is "${effective}" after writing "${wanted}": something else changed it`,
      transient !== undefined
        ? `Clear it (PUT _cluster/settings {"transient": {"${key}": null}}), then press Revert or ask again.`
        : 'Check who else changes cluster settings (/es settings), then ask again.',
    );
  }
}

export interface ListChange {
  key: string;
  before: string[];
  after: string[];
  written: boolean;
}

/** How many times a list edit re-reads and retries when someone else changed the list meanwhile. */
const MAX_ATTEMPTS = 5;

/**
 * Write side of the Elasticsearch adapter: persistent allocation settings, changed the way the
 * runbook does, but merge-safe. ES has no compare-and-set on cluster settings, so a list edit is
 * read-modify-write-verify: re-read after writing and retry when another writer's change raced ours.
 */
export class AllocationWriter {
  /**
   * `onWritten` is called after every write ES accepted, before it is read back: a caller (a
   * run's step) records that its change is in the cluster even if the read-back then fails or the
   * next call errs, so that its alarm and its undo count (I3, I4).
   */
  constructor(
    private readonly cluster: ClusterReader,
    private readonly opts: { onWritten?: () => Promise<void> } = {},
  ) {}

  /**
   * Adds `value` to the persistent exclusion list, keeping every entry already there except the
   * ones named in `remove` (stale entries the operator chose to clean in the same write).
   */
  addExclusion(attr: FilterAttribute, value: string, remove: string[] = []): Promise<ListChange> {
    return this.addExclusions(attr, [value], remove);
  }

  /** Adds every one of `values` in one write (a drain of several nodes), keeping the entries there. */
  addExclusions(attr: FilterAttribute, values: string[], remove: string[] = []): Promise<ListChange> {
    const edit = (list: string[]) => {
      const kept = list.filter((v) => !remove.includes(v));
      return [...kept, ...values.filter((v, i) => !kept.includes(v) && values.indexOf(v) === i)];
    };
    return this.editList(
      excludeKey(attr),
      edit,
      (list) => values.every((v) => list.includes(v)) && remove.every((v) => !list.includes(v)),
    );
  }

  /** Removes only `value` from the persistent exclusion list. */
  removeExclusion(attr: FilterAttribute, value: string): Promise<ListChange> {
    return this.editList(
      excludeKey(attr),
      (list) => list.filter((v) => v !== value),
      (list) => !list.includes(value),
    );
  }

  /** Removes entries that match no node (stale exclusions left by earlier drains). */
  removeExclusions(attr: FilterAttribute, values: string[]): Promise<ListChange> {
    return this.editList(
      excludeKey(attr),
      (list) => list.filter((v) => !values.includes(v)),
      (list) => values.every((v) => !list.includes(v)),
    );
  }

  /**
   * `cluster.routing.allocation.enable`, persistent: "Disable shard movement" is `none`. Read back
   * as the *effective* value (transient wins over persistent; unset is `all`): when something
   * else keeps it from taking effect, this throws rather than report a change that is not in force.
   */
  async setEnable(to: AllocationEnable | null): Promise<{ before?: string; written: boolean }> {
    const before = (await this.cluster.settings()).persistent[ENABLE_KEY];
    // null removes the persistent value (back to "unset", which means `all`).
    const written = before !== (to ?? undefined);
    if (written) await this.put({ persistent: { [ENABLE_KEY]: to } });
    const now = await this.cluster.settings();
    const effective = effectiveEnable(now);
    const value = to ?? 'all';
    if (effective !== value) throw new SettingOverriddenError(ENABLE_KEY, value, effective, now.transient[ENABLE_KEY]);
    return { before, written };
  }

  /** Removes a transient setting (the runbook's "be sure the transient settings do not interfere"). */
  async clearTransient(key: string): Promise<void> {
    await this.put({ transient: { [key]: null } });
  }

  private async put(body: {
    persistent?: Record<string, string | null>;
    transient?: Record<string, string | null>;
  }): Promise<void> {
    await this.cluster.call(() => this.cluster.client.cluster.putSettings(body));
    await this.opts.onWritten?.();
  }

  private async editList(
    key: string,
    edit: (list: string[]) => string[],
    done: (list: string[]) => boolean,
  ): Promise<ListChange> {
    const first = splitList((await this.cluster.settings()).persistent[key]);
    let current = first;
    let written = false;
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const next = edit(current);
      if (sameList(next, current)) return { key, before: first, after: current, written };
      // An empty list is removed (null), as the runbook's `"exclude._ip": ""` intends.
      await this.put({ persistent: { [key]: next.length ? next.join(',') : null } });
      written = true;
      const readBack = splitList((await this.cluster.settings()).persistent[key]);
      // Our edit is in and nobody else's entry was lost: done. Otherwise merge with what is there now.
      if (done(readBack) && sameList(readBack, next)) return { key, before: first, after: readBack, written };
      current = readBack;
    }
    throw new Error(
      `${key} kept changing under us (${MAX_ATTEMPTS} attempts): ` +
        'another process is editing it; try again when it settles',
    );
  }
}

function sameList(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}
