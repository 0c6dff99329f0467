import type { Client } from '@elastic/elasticsearch';
import { allocationFilters, filterReasons } from './allocation-filters.js';
import { describeClusterError } from './errors.js';
import { requireSupportedVersion } from './es-version.js';
import { toFlat, type ClusterSettings } from './settings.js';

export type Health = 'green' | 'yellow' | 'red';

export interface HealthSummary {
  clusterName: string;
  status: Health;
  nodes: number;
  dataNodes: number;
  activeShards: number;
  activePrimaryShards: number;
  relocating: number;
  initializing: number;
  unassigned: number;
  pendingTasks: number;
}

export interface NodeRow {
  id: string;
  name: string;
  ip: string;
  host: string;
  attributes: Record<string, string>;
  /** `zone` attribute: primary/secondary are reliable, spot may vanish. */
  zone?: string;
  roles: string[];
  shards: number;
  diskUsedBytes?: number;
  diskAvailBytes?: number;
  diskTotalBytes?: number;
  diskPercent?: number;
  /** Allocation filters that keep shards off the node, e.g. 'exclude._ip:172.31.0.39'. */
  excludedBy: string[];
}

export interface ClusterStatus {
  health: HealthSummary;
  nodes: NodeRow[];
  settings: ClusterSettings;
  unassignedShards: number;
}

const num = (v: unknown): number | undefined => (v === null || v === undefined || v === '' ? undefined : Number(v));

/**
 * Read side of the Elasticsearch adapter. Every call costs O(nodes), never O(shards): it reads
 * _cluster/health, _nodes, _cat/allocation and settings, which is what clusters with tens of
 * thousands of shards can afford on every poll.
 */
export class ClusterReader {
  constructor(
    readonly name: string,
    readonly client: Client,
    readonly url: string,
  ) {}

  /** Runs a client call, translating its errors into ClusterError (with retryable set for transient ones). */
  async call<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      throw describeClusterError(err, this.name, this.url);
    }
  }

  async health(): Promise<HealthSummary> {
    const h = await this.call(() => this.client.cluster.health());
    return {
      clusterName: h.cluster_name,
      status: h.status.toLowerCase() as Health,
      nodes: h.number_of_nodes,
      dataNodes: h.number_of_data_nodes,
      activeShards: h.active_shards,
      activePrimaryShards: h.active_primary_shards,
      relocating: h.relocating_shards,
      initializing: h.initializing_shards,
      unassigned: h.unassigned_shards,
      pendingTasks: h.number_of_pending_tasks,
    };
  }

  async settings(): Promise<ClusterSettings> {
    const s = await this.call(() => this.client.cluster.getSettings({ flat_settings: true }));
    return { persistent: toFlat(s.persistent), transient: toFlat(s.transient) };
  }

  /** Nodes joined with their allocation row (shards, disk) and the filters that exclude them. */
  async nodes(settings?: ClusterSettings): Promise<{ nodes: NodeRow[]; unassignedShards: number }> {
    const [info, alloc, s] = await Promise.all([
      this.call(() => this.client.nodes.info()),
      this.call(() => this.client.cat.allocation({ format: 'json', bytes: 'b' })),
      settings ? Promise.resolve(settings) : this.settings(),
    ]);
    const filters = allocationFilters(s);
    const byName = new Map(alloc.map((r) => [r.node ?? '', r]));
    const nodes: NodeRow[] = Object.entries(info.nodes).map(([id, n]) => {
      const row = byName.get(n.name);
      const attributes = { ...(n.attributes ?? {}) } as Record<string, string>;
      const base = { id, name: n.name, ip: n.ip ?? n.host ?? '', host: n.host ?? n.ip ?? '', attributes };
      return {
        ...base,
        zone: attributes.zone,
        roles: (n.roles ?? []).map(String),
        shards: num(row?.shards) ?? 0,
        diskUsedBytes: num(row?.['disk.used']),
        diskAvailBytes: num(row?.['disk.avail']),
        diskTotalBytes: num(row?.['disk.total']),
        diskPercent: num(row?.['disk.percent']),
        excludedBy: filterReasons(base, filters),
      };
    });
    nodes.sort((a, b) => a.name.localeCompare(b.name, undefined, { numeric: true }));
    const unassignedShards = num(byName.get('UNASSIGNED')?.shards) ?? 0;
    return { nodes, unassignedShards };
  }

  private statusInFlight: Promise<ClusterStatus> | undefined;

  /**
   * `status()` for a person's read-only view (`/es status`): a request that arrives while one is
   * in flight shares its answer, so a burst of them costs the cluster (and this process) one read,
   * not one each. Plans and checks never use it: they read after their own request.
   */
  sharedStatus(): Promise<ClusterStatus> {
    this.statusInFlight ??= this.status().finally(() => {
      this.statusInFlight = undefined;
    });
    return this.statusInFlight;
  }

  /** Everything /es status shows, fetched concurrently. */
  async status(): Promise<ClusterStatus> {
    // An unsupported release (7.x or older) is refused in one line before its answers are read.
    await requireSupportedVersion(this);
    const settings = await this.settings();
    const [health, { nodes, unassignedShards }] = await Promise.all([this.health(), this.nodes(settings)]);
    return { health, nodes, settings, unassignedShards };
  }
}
