import { buildAllocationConfig, DEFAULT_RECOVERY_BYTES_PER_SEC, type AllocationConfig } from './allocation-config.js';
import { Allocator } from './allocator.js';
import { ClusterSettings, type AppliedSettings } from './cluster-settings.js';
import { checkDiskThresholds } from './disk-monitor.js';
import { EsError } from './es-error.js';
import { clusterHealth } from './health.js';
import { DEFAULT_NODE_LEFT_DELAY_MS, IndexCatalog, type NewIndex } from './index-catalog.js';
import { BLOCK_SETTINGS, checkMetadataWrite } from './index-blocks.js';
import { isConstrained, normalizeIndexKey, staticKeysOf, updateIndexSettings } from './index-settings.js';
import type { SettingValue } from './settings-catalog.js';
import { parseDuration } from './units.js';
import { placeStarted } from './initial-placement.js';
import { NodeLifecycle } from './node-lifecycle.js';
import { RecoveryEngine } from './recovery-engine.js';
import { esStyleId, Rng } from './rng.js';
import { RoutingState } from './routing-state.js';
import { ShardTransitions } from './shard-transitions.js';
import type { HealthSummary, IndexMeta, Recovery, ShardCopy, SimIndexSpec, SimNode, SimNodeSpec } from './types.js';
import { EsVersion } from './es-version.js';

/** The roles an ES 8 node has when `node.roles` is not set. */
export const DEFAULT_ROLES = [
  'data',
  'data_cold',
  'data_content',
  'data_frozen',
  'data_hot',
  'data_warm',
  'ingest',
  'master',
  'ml',
  'remote_cluster_client',
  'transform',
];

export interface SimClusterOptions {
  name?: string;
  nodes: SimNodeSpec[];
  indices?: SimIndexSpec[];
  seed?: number;
  /** Recovery rate when indices.recovery.max_bytes_per_sec is not set (ES default 40mb). */
  recoveryBytesPerSec?: number;
  /** Wall-clock epoch of simulated time 0, used for timestamps in responses; default: now. */
  epochMs?: number;
  /** The Elasticsearch release it answers as (GET /, nodes info): default 8.17.0; 9.x and 7.x too. */
  version?: string;
}

/** How long a restarted node stays away, in simulated ms. */
export const DEFAULT_RESTART_DELAY_MS = 5000;

/**
 * A simulated Elasticsearch cluster: routing table, settings and time. Time moves only through
 * `advance`, which steps from event to event (a recovery finishing, a node coming back, a delay
 * running out) so the same calls always give the same cluster.
 */
export class SimCluster {
  readonly name: string;
  readonly uuid: string;
  /** The release it answers as. */
  readonly version: EsVersion;
  readonly seed: number;
  readonly epochMs: number;
  readonly state = new RoutingState();
  readonly settings = new ClusterSettings();
  readonly catalog: IndexCatalog;
  private readonly transitions: ShardTransitions;
  private readonly allocator: Allocator;
  private readonly engine: RecoveryEngine;
  private readonly lifecycle: NodeLifecycle;
  private readonly fallbackRecoveryRate: number;
  private readonly pendingStarts: Array<{ node: SimNode; at: number }> = [];
  private readonly listeners = new Set<() => void>();
  private readonly destroyed = new Set<SimNode>();
  private config: AllocationConfig;
  private time = 0;
  /** Simulated time of the next cluster-info refresh (the disk monitor's flood-stage check). */
  private nextDiskCheck = 0;

  constructor(opts: SimClusterOptions) {
    this.name = opts.name ?? 'active-data';
    this.seed = opts.seed ?? 1;
    this.uuid = esStyleId(`${this.name}/${this.seed}/cluster`);
    this.version = new EsVersion(opts.version);
    this.epochMs = opts.epochMs ?? Date.now();
    this.fallbackRecoveryRate = opts.recoveryBytesPerSec ?? DEFAULT_RECOVERY_BYTES_PER_SEC;
    this.config = buildAllocationConfig(this.settings, this.fallbackRecoveryRate);
    const clock = (): number => this.time;
    this.transitions = new ShardTransitions(this.state, clock);
    this.allocator = new Allocator(this.state, this.transitions, () => this.allocationConfig(), clock);
    this.engine = new RecoveryEngine(this.state, () => this.allocationConfig().recoveryBytesPerSec);
    this.lifecycle = new NodeLifecycle(this.state, this.transitions, this.epochMs);
    this.catalog = new IndexCatalog(this.state, clock, `${this.name}/${this.seed}`);
    for (const spec of opts.nodes) this.addNode(spec);
    const placementRng = new Rng(this.seed);
    for (const spec of opts.indices ?? []) {
      placeStarted(this.state, this.catalog.create(toNewIndex(spec), this.epochMs), placementRng);
    }
    this.settle();
  }

  /** Simulated milliseconds since the cluster was built. */
  get now(): number {
    return this.time;
  }

  /** Runs the cluster for `ms` simulated milliseconds. */
  advance(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) throw new Error(`advance needs a finite duration >= 0, got ${ms}`);
    let remaining = ms;
    let idleSteps = 0;
    this.settle();
    while (remaining > 0) {
      const untilEvent = Math.min(this.engine.nextCompletionIn(this.time), this.nextTimedEvent() - this.time);
      let step = Math.min(remaining, Math.max(0, untilEvent));
      // Floating point can leave an event a hair in the future forever: never spin in place.
      idleSteps = step > 0 ? 0 : idleSteps + 1;
      if (idleSteps > 100) step = Math.min(remaining, 1);
      this.engine.progress(step);
      this.time += step;
      remaining -= step;
      this.fireTimedEvents();
      this.settle();
    }
    for (const listener of this.listeners) listener();
  }

  /** Does everything that takes no simulated time: reroutes and instant recoveries. */
  settle(): void {
    for (let guard = 0; guard < 10_000; guard++) {
      if (this.state.dirty) this.allocator.reroute();
      const due = this.engine.due(this.time);
      if (due.length === 0 && !this.state.dirty) return;
      for (const r of due) this.transitions.complete(r);
    }
  }

  stopNode(name: string): void {
    const node = this.nodeByName(name);
    this.pendingStarts.splice(0, this.pendingStarts.length, ...this.pendingStarts.filter((p) => p.node !== node));
    this.lifecycle.stop(node);
    this.settle();
  }

  startNode(name: string): void {
    const node = this.nodeByName(name);
    if (this.destroyed.has(node)) {
      throw new EsError(
        400,
        'illegal_argument_exception',
        `node [${name}] was destroyed and its data is lost: it cannot start again; ` +
          'build a cluster with a new node instead',
      );
    }
    this.lifecycle.start(node, this.time);
    this.settle();
  }

  /**
   * A node that never comes back: it leaves as in stopNode, and its data path is gone, so shards
   * whose only good copy it held stay unassigned (red for a primary) for good.
   */
  destroyNode(name: string): void {
    const node = this.nodeByName(name);
    this.stopNode(name);
    this.destroyed.add(node);
    for (const group of node.staleGroups) group.staleCopyNodes.delete(node.id);
    node.staleGroups.clear();
    this.state.dirty = true;
    this.settle();
  }

  /**
   * Puts `bytes` of non-shard data on a node's disk (a disk filling up): the watermarks react at
   * once for allocation, and the flood-stage block at the next cluster-info refresh.
   */
  setOtherBytes(name: string, bytes: number): void {
    if (!Number.isFinite(bytes) || bytes < 0) throw new Error(`other bytes must be a number >= 0, got ${bytes}`);
    this.nodeByName(name).otherBytes = bytes;
    this.state.dirty = true;
    this.settle();
  }

  /** Stop now, start again after `delayMs` of simulated time. */
  restartNode(name: string, delayMs = DEFAULT_RESTART_DELAY_MS): void {
    const node = this.nodeByName(name);
    if (this.destroyed.has(node)) this.startNode(name); // refused with the reason
    this.stopNode(name);
    this.pendingStarts.push({ node, at: this.time + delayMs });
  }

  /** PUT _cluster/settings: throws SettingsError on a refused update. */
  putSettings(body: { persistent?: unknown; transient?: unknown }): AppliedSettings {
    const applied = this.settings.update(body);
    this.state.dirty = true;
    this.settle();
    return applied;
  }

  allocationConfig(): AllocationConfig {
    if (this.config.version !== this.settings.version) {
      this.config = buildAllocationConfig(this.settings, this.fallbackRecoveryRate);
    }
    return this.config;
  }

  health(): HealthSummary {
    return clusterHealth(this.state, this.name);
  }

  nodes(): SimNode[] {
    return [...this.state.nodes.values()];
  }

  nodeByName(name: string): SimNode {
    const node = this.state.nodesByName.get(name);
    if (!node) throw new EsError(404, 'resource_not_found_exception', `node [${name}] not found`);
    return node;
  }

  /** The elected master: the first live master-eligible node. */
  master(): SimNode | null {
    for (const n of this.state.nodes.values()) if (n.alive && n.isMasterEligible) return n;
    return null;
  }

  /** Copies on a node as `_cat/shards` lists them (relocation targets excluded). */
  shardsOnNode(name: string): ShardCopy[] {
    return [...this.nodeByName(name).copies].filter((c) => !c.source);
  }

  /** Bytes on a node's disk now, including partly recovered incoming copies. */
  nodeBytes(name: string): number {
    return this.state.liveBytes(this.nodeByName(name));
  }

  activeRecoveries(): Recovery[] {
    return [...this.state.activeRecoveries];
  }

  createIndex(spec: SimIndexSpec & { nodeLeftDelayMs?: number; settings?: Map<string, string> }): IndexMeta {
    const meta = this.catalog.create(toNewIndex(spec), this.epochMs + this.time);
    this.settle();
    return meta;
  }

  deleteIndex(name: string): void {
    const meta = this.state.indices.get(name);
    if (!meta) throw new EsError(404, 'index_not_found_exception', `no such index [${name}]`);
    this.catalog.delete(meta);
    this.settle();
  }

  /** PUT /{index}/_settings: validated all or nothing; replicas, delays and allocation take effect at once. */
  updateIndexSettings(
    metas: IndexMeta[],
    flat: Map<string, SettingValue | null>,
    opts: { preserveExisting?: boolean; reopen?: boolean } = {},
  ): void {
    const keys = [...flat.keys()].map(normalizeIndexKey);
    // Requests that touch a block setting are let through, or nobody could lift a block.
    if (!keys.some((k) => BLOCK_SETTINGS.includes(k))) checkMetadataWrite(metas);
    // reopen=true: static settings are applied by closing the open indices and opening them again.
    const reopened = opts.reopen && staticKeysOf(flat).length > 0 ? metas.filter((m) => !m.closed) : [];
    for (const meta of reopened) meta.closed = true;
    try {
      updateIndexSettings(metas, flat, opts);
    } finally {
      for (const meta of reopened) meta.closed = false;
    }
    for (const meta of metas) {
      // Written (or reset by null, unless preserve_existing kept the current count).
      const replicas = meta.settings.get('index.number_of_replicas');
      if (replicas !== undefined) this.catalog.setReplicas(meta, Number(replicas));
      else if (keys.includes('index.number_of_replicas') && !opts.preserveExisting) this.catalog.setReplicas(meta, 1);
      meta.settings.delete('index.number_of_replicas');
      const delay = meta.settings.get('index.unassigned.node_left.delayed_timeout');
      meta.nodeLeftDelayMs =
        delay === undefined
          ? DEFAULT_NODE_LEFT_DELAY_MS
          : parseDuration(delay, 'index.unassigned.node_left.delayed_timeout');
      if (isConstrained(meta.allocation)) this.state.constrained.add(meta);
      else this.state.constrained.delete(meta);
    }
    this.state.dirty = true;
    this.settle();
  }

  /**
   * POST /{index}/_close: ES 8 keeps a closed index's shards allocated (replicated closed
   * indices), so only the index state changes; moves in flight are abandoned, as closing
   * re-creates the index's routing, and `index.verified_before_close` is set.
   */
  closeIndex(meta: IndexMeta): void {
    if (meta.closed) return;
    for (const group of meta.groups)
      for (const copy of group.copies) if (copy.state === 'RELOCATING') this.transitions.cancelRelocation(copy);
    meta.closed = true;
    meta.settings.set('index.verified_before_close', 'true');
    this.state.dirty = true;
    this.settle();
  }

  openIndex(meta: IndexMeta): void {
    if (!meta.closed) return;
    meta.closed = false;
    meta.settings.delete('index.verified_before_close');
    this.state.dirty = true;
    this.settle();
  }

  /** Called after every `advance`; the HTTP layer uses it to answer waiting health requests. */
  onAdvance(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private addNode(spec: SimNodeSpec): void {
    if (this.state.nodesByName.has(spec.name)) throw new Error(`duplicate node name [${spec.name}]`);
    const roles = spec.roles ?? DEFAULT_ROLES;
    const node: SimNode = {
      id: esStyleId(`${this.name}/${this.seed}/node/${spec.name}`),
      name: spec.name,
      ip: spec.ip,
      host: spec.host ?? spec.ip,
      attributes: { zone: spec.zone, 'xpack.installed': 'true' },
      roles: [...roles].sort(),
      isData: roles.some((r) => r === 'data' || r.startsWith('data_')),
      isMasterEligible: roles.includes('master'),
      diskTotal: spec.diskTotalBytes,
      otherBytes: 0,
      alive: true,
      copies: new Set(),
      routingCount: 0,
      settledBytes: 0,
      relocatingAwayBytes: 0,
      relocatingAwayCount: 0,
      incomingRelocations: 0,
      incoming: new Set(),
      outgoing: new Set(),
      initialPrimaryRecoveries: 0,
      owningByIndex: new Map(),
      staleGroups: new Set(),
      startedAt: 0,
      jvmStartedAtMs: this.epochMs,
    };
    this.state.nodes.set(node.id, node);
    this.state.nodesByName.set(node.name, node);
  }

  private nextTimedEvent(): number {
    let next = Math.min(this.allocator.nextDelayExpiry(), this.nextDiskCheck);
    for (const p of this.pendingStarts) next = Math.min(next, p.at);
    return next;
  }

  private fireTimedEvents(): void {
    for (const p of [...this.pendingStarts]) {
      if (p.at > this.time) continue;
      this.pendingStarts.splice(this.pendingStarts.indexOf(p), 1);
      this.lifecycle.start(p.node, this.time);
    }
    if (this.allocator.nextDelayExpiry() <= this.time) this.state.dirty = true;
    if (this.nextDiskCheck <= this.time) {
      checkDiskThresholds(this.state, this.allocationConfig());
      this.nextDiskCheck = this.time + Math.max(1, this.allocationConfig().infoIntervalMs);
    }
  }
}

function toNewIndex(spec: SimIndexSpec & { nodeLeftDelayMs?: number; settings?: Map<string, string> }): NewIndex {
  const shardBytes = spec.shardBytes ?? Array.from({ length: spec.shards }, () => spec.bytesPerShard);
  const out: NewIndex = {
    name: spec.name,
    shards: spec.shards,
    replicas: spec.replicas,
    shardBytes,
    aliases: spec.aliases ?? [],
  };
  if (spec.nodeLeftDelayMs !== undefined) out.nodeLeftDelayMs = spec.nodeLeftDelayMs;
  if (spec.settings !== undefined) out.settings = spec.settings;
  return out;
}
