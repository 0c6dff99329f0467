import { EsError } from './es-error.js';
import { isConstrained, parseIndexAllocation } from './index-settings.js';
import { esStyleId } from './rng.js';
import type { RoutingState } from './routing-state.js';
import type { IndexMeta, ShardCopy, ShardGroup } from './types.js';
import { isSimpleMatchPattern, simpleMatch, splitCommaList } from './wildcard.js';

export interface NewIndex {
  name: string;
  shards: number;
  replicas: number;
  shardBytes: number[];
  aliases: string[];
  nodeLeftDelayMs?: number;
  /** Explicit index settings (flat `index.*` keys), validated by the caller. */
  settings?: Map<string, string>;
}

/** index.unassigned.node_left.delayed_timeout default. */
export const DEFAULT_NODE_LEFT_DELAY_MS = 60_000;

/**
 * Index metadata: creation with ES's name rules, deletion, aliases, and resolution of index
 * expressions (comma lists, wildcards, aliases, `_all`) the way REST paths use them.
 */
export class IndexCatalog {
  private readonly aliasIndex = new Map<string, Set<IndexMeta>>();
  private copySeq = 0;

  constructor(
    private readonly state: RoutingState,
    private readonly clock: () => number,
    private readonly idSeed: string,
  ) {}

  /** Adds the index with every copy UNASSIGNED (reason INDEX_CREATED); the allocator places them. */
  create(spec: NewIndex, creationDate: number): IndexMeta {
    validateIndexName(spec.name);
    const existing = this.state.indices.get(spec.name);
    if (existing) {
      throw new EsError(
        400,
        'resource_already_exists_exception',
        `index [${existing.name}/${existing.uuid}] already exists`,
        {
          index_uuid: existing.uuid,
          index: existing.name,
        },
      );
    }
    if (this.aliasIndex.has(spec.name)) {
      throw new EsError(
        400,
        'invalid_index_name_exception',
        `Invalid index name [${spec.name}], already exists as alias`,
        { index: spec.name },
      );
    }
    for (const alias of spec.aliases) {
      if (alias === spec.name || this.state.indices.has(alias)) {
        throw new EsError(
          400,
          'invalid_alias_name_exception',
          `Invalid alias name [${alias}]: an index or data stream exists with the same name as the alias`,
        );
      }
    }
    const meta: IndexMeta = {
      name: spec.name,
      uuid: esStyleId(`${this.idSeed}/index/${spec.name}`),
      shards: spec.shards,
      replicas: spec.replicas,
      aliases: new Set(),
      creationDate,
      nodeLeftDelayMs: spec.nodeLeftDelayMs ?? DEFAULT_NODE_LEFT_DELAY_MS,
      groups: [],
      settings: new Map(spec.settings ?? new Map<string, string>()),
      allocation: parseIndexAllocation(spec.settings ?? new Map<string, string>()),
      closed: false,
    };
    this.state.indices.set(meta.name, meta);
    if (isConstrained(meta.allocation)) this.state.constrained.add(meta);
    for (let id = 0; id < spec.shards; id++) {
      const group: ShardGroup = {
        index: meta,
        id,
        size: spec.shardBytes[id] ?? 0,
        copies: [],
        staleCopyNodes: new Set(),
        everAllocated: false,
      };
      for (let c = 0; c <= spec.replicas; c++) {
        const copy = this.newCopy(group, c === 0);
        group.copies.push(copy);
        this.state.attach(copy);
      }
      meta.groups.push(group);
    }
    this.state.counters.totalCopies += spec.shards * (spec.replicas + 1);
    for (const alias of spec.aliases) this.addAlias(meta, alias);
    this.state.dirty = true;
    return meta;
  }

  delete(meta: IndexMeta): void {
    for (const group of meta.groups) {
      for (const copy of group.copies) {
        if (copy.target?.recovery) this.state.unregisterRecovery(copy.target.recovery);
        if (copy.target) this.state.detach(copy.target);
        if (copy.recovery) this.state.unregisterRecovery(copy.recovery);
        this.state.detach(copy);
      }
      for (const id of group.staleCopyNodes) this.state.nodes.get(id)?.staleGroups.delete(group);
    }
    this.state.counters.totalCopies -= meta.shards * (meta.replicas + 1);
    for (const alias of [...meta.aliases]) this.removeAlias(meta, alias);
    this.state.indices.delete(meta.name);
    this.state.constrained.delete(meta);
    this.state.dirty = true;
  }

  /**
   * index.number_of_replicas changed: new replicas start UNASSIGNED (REPLICA_ADDED); fewer
   * replicas drop unassigned copies first, then initializing ones, then started ones.
   */
  setReplicas(meta: IndexMeta, replicas: number): void {
    if (replicas === meta.replicas) return;
    const delta = replicas - meta.replicas;
    for (const group of meta.groups) {
      if (delta > 0) {
        for (let i = 0; i < delta; i++) {
          const copy = this.newCopy(group, false);
          if (copy.unassigned) copy.unassigned.reason = 'REPLICA_ADDED';
          group.copies.push(copy);
          this.state.attach(copy);
        }
        continue;
      }
      const rank = { UNASSIGNED: 0, INITIALIZING: 1, RELOCATING: 2, STARTED: 3 } as const;
      const doomed = group.copies
        .filter((c) => !c.primary)
        .sort((a, b) => rank[a.state] - rank[b.state])
        .slice(0, -delta);
      for (const copy of doomed) {
        if (copy.target?.recovery) this.state.unregisterRecovery(copy.target.recovery);
        if (copy.target) this.state.detach(copy.target);
        if (copy.recovery) this.state.unregisterRecovery(copy.recovery);
        this.state.detach(copy);
        group.copies.splice(group.copies.indexOf(copy), 1);
      }
    }
    this.state.counters.totalCopies += meta.shards * delta;
    meta.replicas = replicas;
    this.state.dirty = true;
  }

  addAlias(meta: IndexMeta, alias: string): void {
    if (this.state.indices.has(alias)) {
      throw new EsError(
        400,
        'invalid_alias_name_exception',
        `Invalid alias name [${alias}]: an index or data stream exists with the same name as the alias`,
      );
    }
    meta.aliases.add(alias);
    let set = this.aliasIndex.get(alias);
    if (!set) this.aliasIndex.set(alias, (set = new Set()));
    set.add(meta);
  }

  removeAlias(meta: IndexMeta, alias: string): boolean {
    if (!meta.aliases.delete(alias)) return false;
    const set = this.aliasIndex.get(alias);
    set?.delete(meta);
    if (set && set.size === 0) this.aliasIndex.delete(alias);
    return true;
  }

  allAliases(): string[] {
    return [...this.aliasIndex.keys()];
  }

  /**
   * Resolves an index expression. A concrete name that matches nothing is a 404
   * index_not_found_exception (unless ignoreUnavailable); wildcards may match nothing.
   */
  resolve(expression: string | undefined, ignoreUnavailable = false): IndexMeta[] {
    const parts = expression === undefined || expression === '' ? ['_all'] : splitCommaList(expression);
    const out = new Set<IndexMeta>();
    for (const part of parts) {
      if (part === '_all' || part === '*') {
        for (const m of this.state.indices.values()) out.add(m);
      } else if (isSimpleMatchPattern(part)) {
        for (const m of this.state.indices.values()) if (simpleMatch(part, m.name)) out.add(m);
        for (const [alias, set] of this.aliasIndex) if (simpleMatch(part, alias)) for (const m of set) out.add(m);
      } else {
        const m = this.state.indices.get(part);
        const viaAlias = this.aliasIndex.get(part);
        if (m) out.add(m);
        else if (viaAlias) for (const x of viaAlias) out.add(x);
        else if (!ignoreUnavailable) throw indexNotFound(part);
      }
    }
    return [...this.state.indices.values()].filter((m) => out.has(m));
  }

  private newCopy(group: ShardGroup, primary: boolean): ShardCopy {
    return {
      group,
      primary,
      state: 'UNASSIGNED',
      nodeId: null,
      target: null,
      source: null,
      recovery: null,
      lastRecovery: null,
      unassigned: { reason: 'INDEX_CREATED', at: this.clock(), delayedUntil: null, lastAllocationStatus: 'no_attempt' },
      allocationId: esStyleId(`${this.idSeed}/alloc/${this.copySeq++}`),
    };
  }
}

export function indexNotFound(name: string): EsError {
  return new EsError(404, 'index_not_found_exception', `no such index [${name}]`, {
    'resource.type': 'index_or_alias',
    'resource.id': name,
    index_uuid: '_na_',
    index: name,
  });
}

/** MetadataCreateIndexService.validateIndexOrAliasName plus the lowercase rule. */
function validateIndexName(name: string): void {
  const bad = (why: string): EsError =>
    new EsError(400, 'invalid_index_name_exception', `Invalid index name [${name}], ${why}`, {
      index_uuid: '_na_',
      index: name,
    });
  if (name !== name.toLowerCase()) throw bad('must be lowercase');
  if (/[\\/*?"<>| ,#:]/.test(name))
    throw bad("must not contain the following characters [' ','\"','*',',','/','<','>','?','\\\\','|']");
  if (/^[_\-+]/.test(name)) throw bad("must not start with '_', '-', or '+'");
  if (name === '.' || name === '..') throw bad("must not be '.' or '..'");
  if (Buffer.byteLength(name) > 255) throw bad('index name is too long, (' + Buffer.byteLength(name) + ' > 255)');
}
