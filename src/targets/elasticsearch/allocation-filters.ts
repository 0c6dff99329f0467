import { effectiveSetting, type ClusterSettings } from './settings.js';

export interface FilterableNode {
  id: string;
  name: string;
  ip: string;
  host: string;
  attributes: Record<string, string>;
}
export type FilterKind = 'exclude' | 'include' | 'require';

/** Parses "a, b ,c" the way ES splits allocation filter values (empty entries ignored). */
export function splitList(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((v) => v.trim())
    .filter((v) => v.length > 0);
}

/** ES's simple wildcard match: `*` anywhere matches any run of characters. */
export function simpleMatch(pattern: string, value: string): boolean {
  if (!pattern.includes('*')) return pattern === value;
  const re = new RegExp(
    `^${pattern
      .split('*')
      .map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
  );
  return re.test(value);
}

function nodeValue(node: FilterableNode, attr: string): string | undefined {
  switch (attr) {
    case '_ip':
      return node.ip;
    case '_name':
      return node.name;
    case '_host':
      return node.host;
    case '_id':
      return node.id;
    default:
      return node.attributes[attr];
  }
}

/** Effective allocation filters (transient over persistent): kind → attribute → values. */
export function allocationFilters(s: ClusterSettings): Record<FilterKind, Record<string, string[]>> {
  const out: Record<FilterKind, Record<string, string[]>> = { exclude: {}, include: {}, require: {} };
  const keys = new Set([...Object.keys(s.persistent), ...Object.keys(s.transient)]);
  for (const key of keys) {
    const m = /^cluster\.routing\.allocation\.(exclude|include|require)\.(.+)$/.exec(key);
    if (!m) continue;
    const values = splitList(effectiveSetting(s, key));
    if (values.length) out[m[1] as FilterKind][m[2]!] = values;
  }
  return out;
}

/** Why the filters keep shards off this node, e.g. ['exclude._ip:172.31.0.39']; empty when allowed. */
export function filterReasons(node: FilterableNode, filters: Record<FilterKind, Record<string, string[]>>): string[] {
  const reasons: string[] = [];
  for (const [attr, values] of Object.entries(filters.exclude)) {
    const v = nodeValue(node, attr);
    if (v !== undefined && values.some((p) => simpleMatch(p, v))) reasons.push(`exclude.${attr}:${v}`);
  }
  for (const [attr, values] of Object.entries(filters.include)) {
    const v = nodeValue(node, attr);
    if (v === undefined || !values.some((p) => simpleMatch(p, v))) reasons.push(`not include.${attr}`);
  }
  for (const [attr, values] of Object.entries(filters.require)) {
    const v = nodeValue(node, attr);
    if (v === undefined || !values.every((p) => simpleMatch(p, v))) reasons.push(`not require.${attr}`);
  }
  return reasons;
}
