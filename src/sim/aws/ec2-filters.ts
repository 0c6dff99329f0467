import { Ec2SimError, type Tag } from './ec2-types.js';

export interface Filter {
  name: string;
  values: string[];
}

/** EC2 filter values take `*` (any run of characters) and `?` (one character); `\` escapes them. */
export function wildcardMatch(pattern: string, value: string): boolean {
  let re = '^';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '\\' && i + 1 < pattern.length) re += escape(pattern[++i]!);
    else if (c === '*') re += '.*';
    else if (c === '?') re += '.';
    else re += escape(c);
  }
  return new RegExp(`${re}$`, 's').test(value);
}

const escape = (c: string) => c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * A resource matches when every filter matches (AND) and, within a filter, any value (OR).
 * `fields` gives the resource's value(s) for a filter name; tag filters are handled here.
 * An unknown filter name is refused, as EC2 does.
 */
/** EC2 refuses a request naming a filter it does not know, whether or not anything would match. */
export function checkFilterNames(filters: Filter[], known: readonly string[]): void {
  for (const f of filters) {
    if (f.name.startsWith('tag:') || f.name === 'tag-key' || f.name === 'tag-value' || known.includes(f.name)) continue;
    throw new Ec2SimError('InvalidParameterValue', `The filter '${f.name}' is invalid`);
  }
}

export function matchesFilters(
  filters: Filter[],
  tags: Tag[],
  fields: Record<string, string | string[] | undefined>,
): boolean {
  return filters.every((f) => {
    let values: string[];
    if (f.name.startsWith('tag:')) {
      const key = f.name.slice(4);
      values = tags.filter((t) => t.key === key).map((t) => t.value);
    } else if (f.name === 'tag-key') {
      values = tags.map((t) => t.key);
    } else if (f.name === 'tag-value') {
      values = tags.map((t) => t.value);
    } else if (f.name in fields) {
      const v = fields[f.name];
      values = v === undefined ? [] : Array.isArray(v) ? v : [v];
    } else {
      throw new Ec2SimError('InvalidParameterValue', `The filter '${f.name}' is invalid`);
    }
    return values.some((v) => f.values.some((p) => wildcardMatch(p, v)));
  });
}
