import { allocationFilters, filterReasons, splitList } from './allocation-filters.js';
import type { ClusterReader, ClusterStatus, NodeRow } from './cluster-reader.js';
import { ENABLE_KEY, excludeKey, type ExcludeAttribute } from './allocation-writer.js';
import { compareSettings, effectiveSetting } from './settings.js';
import { OperatorError } from '../../problem.js';
import { parseWatermarkValue } from './disk-watermarks.js';

export interface DrainPlan {
  cluster: string;
  node: NodeRow;
  attr: ExcludeAttribute;
  /** The value written: the node's IP (runbook) or name. */
  value: string;
  key: string;
  currentList: string[];
  /** The list after the drain's write: current entries kept, ours appended. */
  newList: string[];
  alreadyExcluded: boolean;
  /** Entries of the list that match no node of the cluster. */
  staleEntries: string[];
  /** Stale entries the drain's write also removes (--clean-stale). */
  removeStale: string[];
  /** Other nodes with the same IP: excluding by _ip drains them too. */
  sharingIp: string[];
  /** Where the shards can go: free bytes under the high watermark on nodes that may take shards. */
  targets: { name: string; freeBytes: number }[];
  capacityBytes: number;
  health: ClusterStatus['health'];
  /** Blocking problems: the drain must not start. Each says what to do. */
  refusals: string[];
  /** Worth knowing, not blocking. */
  warnings: string[];
}

/** A node name the cluster does not have; the message lists the ones it has. */
export class UnknownNodeError extends OperatorError {
  override name = 'UnknownNodeError';
  constructor(
    readonly node: string,
    readonly known: string[],
    next = 'Check the name with /es status, then ask again.',
  ) {
    const shown =
      known.length > 30
        ? `${known.slice(0, 30).join(', ')} … and ${known.length - 30} more (/es status lists them)`
        : known.join(', ');
    super(`no node named "${node}" in cluster: known nodes are ${shown}`, next);
  }
}

/** Parses a watermark ("90%", "0.9", "500gb") into a used-bytes ceiling for a disk of `total` bytes. */
export function watermarkCeiling(value: string | undefined, total: number): number {
  const parsed = parseWatermarkValue(value ?? '90%', 'watermark');
  return 'freeBytes' in parsed ? total - parsed.freeBytes : (total * parsed.usedPercent) / 100;
}

/** Everything the drain's plan card shows, and the reasons to refuse. Reads only O(nodes). */
export async function planDrain(
  cluster: ClusterReader,
  nodeName: string,
  attr: ExcludeAttribute,
  opts: { cleanStale?: boolean } = {},
): Promise<DrainPlan> {
  const status = await cluster.status();
  const node = status.nodes.find((n) => n.name === nodeName);
  if (!node)
    throw new UnknownNodeError(
      nodeName,
      status.nodes.map((n) => n.name),
    );
  const key = excludeKey(attr);
  const value = attr === '_ip' ? node.ip : node.name;
  const currentList = splitList(status.settings.persistent[key]);
  const alreadyExcluded = currentList.includes(value);
  const known = new Set(status.nodes.map((n) => (attr === '_ip' ? n.ip : n.name)));
  const staleEntries = currentList.filter((v) => !v.includes('*') && !known.has(v));
  const removeStale = opts.cleanStale ? staleEntries : [];
  const kept = currentList.filter((v) => !removeStale.includes(v));
  const newList = alreadyExcluded ? kept : [...kept, value];
  const sharingIp = status.nodes.filter((n) => n.ip === node.ip && n.name !== node.name).map((n) => n.name);

  // Where shards may go once our value is in the list: not the node itself, not excluded by the filters.
  const after = {
    persistent: { ...status.settings.persistent, [key]: newList.join(',') },
    transient: status.settings.transient,
  };
  const filters = allocationFilters(after);
  const high = effectiveSetting(status.settings, 'cluster.routing.allocation.disk.watermark.high');
  const targets = status.nodes
    .filter((n) => n.name !== node.name && isDataNode(n) && filterReasons(n, filters).length === 0)
    .map((n) => ({
      name: n.name,
      freeBytes: Math.max(0, watermarkCeiling(high, n.diskTotalBytes ?? 0) - (n.diskUsedBytes ?? 0)),
    }));
  const capacityBytes = targets.reduce((s, t) => s + t.freeBytes, 0);
  const nodeBytes = node.diskUsedBytes ?? 0;

  const refusals: string[] = [];
  const warnings: string[] = [];
  if (status.health.status === 'red')
    refusals.push(
      `the cluster is red (${status.health.unassigned} unassigned shards): ` +
        'fix that first; a drain would move replicas while primaries are missing',
    );
  if (targets.length === 0)
    refusals.push('no other node may take shards (all excluded or filtered): include a node first');
  else if (capacityBytes < nodeBytes)
    refusals.push(
      `the other nodes have ${fmt(capacityBytes)} free under the high watermark ` +
        `(${high ?? '90%'}) but ${node.name} holds ${fmt(nodeBytes)}: add nodes or free disk first`,
    );
  for (const row of compareSettings(status.settings, (k) => k === key || k === ENABLE_KEY)) {
    if (row.transient === undefined) continue;
    if (row.key === key && row.transient !== newList.join(',')) {
      refusals.push(
        `transient ${row.key} = "${row.transient}" overrides the persistent list, so the drain's setting ` +
          `would have no effect: clear it first (PUT _cluster/settings {"transient": {"${row.key}": null}})`,
      );
    }
    if (row.key === ENABLE_KEY && row.transient !== 'all') {
      refusals.push(
        `transient ${ENABLE_KEY} = "${row.transient}" stops shard movement whatever the persistent ` +
          `setting says: clear it first (PUT _cluster/settings {"transient": {"${ENABLE_KEY}": null}})`,
      );
    }
  }
  const effEnable = effectiveSetting(status.settings, ENABLE_KEY);
  if (effEnable && effEnable !== 'all' && status.settings.transient[ENABLE_KEY] === undefined) {
    warnings.push(`${ENABLE_KEY} is "${effEnable}": shards will not move until shard movement is enabled again`);
  }
  if (attr === '_ip' && sharingIp.length)
    warnings.push(
      `${sharingIp.join(', ')} share${sharingIp.length === 1 ? 's' : ''} IP ${node.ip}: excluding _ip drains ` +
        `${sharingIp.length === 1 ? 'it' : 'them'} too (set excludeBy: _name in opsbot.yaml to drain one)`,
    );
  if (staleEntries.length && !removeStale.length)
    warnings.push(
      `stale entries in ${key} match no node: ${staleEntries.join(', ')} ` +
        '(add --clean-stale to remove them in the same approved write)',
    );
  if (alreadyExcluded) warnings.push(`${value} is already in ${key}: the drain will only wait for the node to empty`);
  if (status.health.status === 'yellow')
    warnings.push(`the cluster is yellow (${status.health.unassigned} unassigned): the drain may take longer`);
  return {
    cluster: cluster.name,
    node,
    attr,
    value,
    key,
    currentList,
    newList,
    alreadyExcluded,
    staleEntries,
    removeStale,
    sharingIp,
    targets,
    capacityBytes,
    health: status.health,
    refusals,
    warnings,
  };
}

function isDataNode(n: NodeRow): boolean {
  return n.roles.length === 0 || n.roles.some((r) => r === 'data' || r.startsWith('data_'));
}

function fmt(bytes: number): string {
  return `${(bytes / 1024 ** 3).toFixed(1)} GB`;
}
