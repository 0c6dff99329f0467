import type { Filter } from './ec2-filters.js';
import { Ec2SimError, type Tag } from './ec2-types.js';

/**
 * EC2 Query API parameters: flat `Name.N.Member` keys, lists numbered from 1
 * (`InstanceId.1`, `Filter.1.Name`, `Filter.1.Value.2`, `Tag.1.Key`).
 */
export class QueryParams {
  constructor(readonly raw: URLSearchParams) {}

  get(name: string): string | undefined {
    return this.raw.get(name) ?? undefined;
  }

  required(name: string): string {
    const v = this.get(name);
    if (v === undefined || v === '')
      throw new Ec2SimError('MissingParameter', `The request must contain the parameter ${name}`);
    return v;
  }

  /** `Name.1`, `Name.2`, … in order. */
  list(name: string): string[] {
    const out: string[] = [];
    for (let i = 1; ; i++) {
      const v = this.raw.get(`${name}.${i}`);
      if (v === null) return out;
      out.push(v);
    }
  }

  filters(): Filter[] {
    const out: Filter[] = [];
    for (let i = 1; ; i++) {
      const name = this.raw.get(`Filter.${i}.Name`);
      if (name === null) return out;
      out.push({ name, values: this.list(`Filter.${i}.Value`) });
    }
  }

  tags(prefix = 'Tag'): Tag[] {
    const out: Tag[] = [];
    for (let i = 1; ; i++) {
      const key = this.raw.get(`${prefix}.${i}.Key`);
      if (key === null) return out;
      out.push({ key, value: this.raw.get(`${prefix}.${i}.Value`) ?? '' });
    }
  }

  /** Tags of `TagSpecification.N` for one resource type. */
  tagSpecifications(resourceType: string): Tag[] {
    const out: Tag[] = [];
    for (let i = 1; ; i++) {
      const type = this.raw.get(`TagSpecification.${i}.ResourceType`);
      if (type === null) return out;
      if (type === resourceType) out.push(...this.tags(`TagSpecification.${i}.Tag`));
    }
  }
}
