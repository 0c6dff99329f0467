import type { ClusterReader } from '../elasticsearch/index.js';

/** One physical index of an ETL table: `<alias>YYYYMMDD_HHMMSS`, and whether it carries the alias. */
export interface TableInstance {
  index: string;
  aliased: boolean;
}

/**
 * How an ETL table looks in the cluster. The ETL creates `<alias>YYYYMMDD_HHMMSS` and then
 * aliases it; creators racing each other leave "multiple table instances, all with similar
 * names", several of them without the alias (the runbook's reason for its order of steps).
 */
export interface TableState {
  alias: string;
  instances: TableInstance[];
  /** The alias points at one of them: the table exists. */
  exists: boolean;
  /** Instances without the alias: the duplicates the runbook warns about. */
  unaliased: string[];
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The instances of each table (one _alias call per table: O(tables), never a listing of every index). */
export async function readTables(cluster: ClusterReader, aliases: readonly string[]): Promise<TableState[]> {
  return Promise.all(
    aliases.map(async (alias) => {
      const pattern = new RegExp(`^${escape(alias)}\\d{8}_\\d{6}$`);
      const found = await cluster.call(() =>
        cluster.client.indices.getAlias({ index: `${alias}*`, allow_no_indices: true, ignore_unavailable: true }),
      );
      const instances = Object.entries(found as Record<string, { aliases?: Record<string, unknown> }>)
        .filter(([index]) => pattern.test(index))
        .map(([index, v]) => ({ index, aliased: Object.prototype.hasOwnProperty.call(v.aliases ?? {}, alias) }))
        .sort((a, b) => a.index.localeCompare(b.index));
      return {
        alias,
        instances,
        exists: instances.some((i) => i.aliased),
        unaliased: instances.filter((i) => !i.aliased).map((i) => i.index),
      };
    }),
  );
}
