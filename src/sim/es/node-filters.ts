import type { SimNode } from './types.js';
import { simpleMatch, splitCommaList } from './wildcard.js';

/**
 * ES's DiscoveryNodeFilters: the `cluster.routing.allocation.{require,include,exclude}.*`
 * groups. `require` needs every attribute to match (AND); `include` and `exclude` need any (OR).
 * Values are comma lists and may hold `*` wildcards (except `_id`, matched exactly as in ES).
 */
export type FilterOp = 'AND' | 'OR';

export class NodeFilters {
  private constructor(
    readonly op: FilterOp,
    private readonly filters: Array<[string, string[]]>,
  ) {}

  /** Builds from attribute → raw value; returns null when no attribute has a value (no filter). */
  static build(op: FilterOp, raw: Map<string, string | string[]>): NodeFilters | null {
    const filters: Array<[string, string[]]> = [];
    for (const [attr, value] of [...raw.entries()].sort(([a], [b]) => a.localeCompare(b))) {
      const values = (Array.isArray(value) ? value : [value]).flatMap(splitCommaList);
      if (values.length > 0 && attr !== '_tier_preference') filters.push([attr, values]);
    }
    return filters.length === 0 ? null : new NodeFilters(op, filters);
  }

  match(node: SimNode): boolean {
    for (const [attr, values] of this.filters) {
      const matched = this.matchOne(attr, values, node);
      if (matched === 'skip') continue;
      if (this.op === 'OR' && matched) return true;
      if (this.op === 'AND' && !matched) return false;
    }
    return this.op === 'AND';
  }

  /** DiscoveryNodeFilters.toString(): `_ip:"172.31.0.39 OR 172.31.0.40",zone:"spot"`. */
  toString(): string {
    return this.filters.map(([attr, values]) => `${attr}:"${values.join(` ${this.op} `)}"`).join(',');
  }

  private matchOne(attr: string, values: string[], node: SimNode): boolean | 'skip' {
    switch (attr) {
      case '_ip':
      case '_host_ip':
      case '_publish_ip':
        return values.some((v) => simpleMatch(v, node.ip));
      case '_host':
        return this.eachValue(values, (v) => simpleMatch(v, node.host) || simpleMatch(v, node.ip));
      case '_id':
        return this.eachValue(values, (v) => v === node.id);
      case '_name':
      case 'name':
        return this.eachValue(values, (v) => simpleMatch(v, node.name));
      default: {
        const own = node.attributes[attr];
        // A node without the attribute fails a require filter and is ignored by include/exclude.
        if (own === undefined) return this.op === 'AND' ? false : 'skip';
        return this.eachValue(values, (v) => simpleMatch(v, own));
      }
    }
  }

  /** For AND every value must match; for OR any one does (ES loops the same way per attribute). */
  private eachValue(values: string[], test: (v: string) => boolean): boolean {
    return this.op === 'AND' ? values.every(test) : values.some(test);
  }
}
