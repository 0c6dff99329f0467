import { JsoncError, parseJsonc } from '../spotmanager/index.js';
import { EtlError } from './etl-error.js';

/** What an ETL settings file says the ETL needs: its queues, its buckets and its ES tables (aliases). */
export interface EtlResourceNames {
  queues: string[];
  buckets: string[];
  tables: string[];
}

/** The names AWS and ES accept and our commands can carry safely. */
const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
/** Keys whose object names a queue: the work queue, and where a worker notifies the next stage. */
const QUEUE_KEYS = new Set(['work_queue', 'notify', 'queue']);

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The queues, buckets and ES tables named in an ETL settings file (ActiveData-ETL's layout:
 * `work_queue.name`, `workers[].source.bucket`, `destination.bucket`, `notify.name`,
 * `destination.index` or `elasticsearch.index` beside a host). The `debug` section (log sinks) is
 * not the ETL's data and is skipped. A name that is not a plain name fails: it could not be
 * created, and the file is wrong.
 */
export function resourceNames(text: string, where: string): EtlResourceNames {
  let root: unknown;
  try {
    root = parseJsonc(text);
  } catch (err) {
    if (err instanceof JsoncError)
      throw new EtlError(`${where} is not valid JSON (with // comments): ${err.message}`, 'settings');
    throw err;
  }
  if (!isObj(root)) throw new EtlError(`${where} does not hold a JSON object`, 'settings');
  const found = { queues: new Set<string>(), buckets: new Set<string>(), tables: new Set<string>() };
  const add = (set: Set<string>, value: string, path: string) => {
    if (!NAME.test(value))
      throw new EtlError(
        `${where}: ${path} is "${value.slice(0, 80)}", which is not a queue, bucket or index name`,
        'settings',
      );
    set.add(value);
  };
  const walk = (v: unknown, path: string, key: string) => {
    if (Array.isArray(v)) {
      v.forEach((x, i) => walk(x, `${path}[${i}]`, key));
      return;
    }
    if (!isObj(v)) return;
    if (QUEUE_KEYS.has(key) && typeof v.name === 'string') add(found.queues, v.name, `${path}.name`);
    if (typeof v.bucket === 'string') add(found.buckets, v.bucket, `${path}.bucket`);
    if (typeof v.index === 'string' && ('host' in v || 'port' in v)) add(found.tables, v.index, `${path}.index`);
    for (const [k, child] of Object.entries(v)) {
      if (path === '' && k === 'debug') continue;
      walk(child, path ? `${path}.${k}` : k, k);
    }
  };
  walk(root, '', '');
  const sorted = (s: Set<string>) => [...s].sort();
  return { queues: sorted(found.queues), buckets: sorted(found.buckets), tables: sorted(found.tables) };
}

/** The names of several files together. */
export function mergeNames(all: EtlResourceNames[]): EtlResourceNames {
  const union = (pick: (n: EtlResourceNames) => string[]) => [...new Set(all.flatMap(pick))].sort();
  return { queues: union((n) => n.queues), buckets: union((n) => n.buckets), tables: union((n) => n.tables) };
}
