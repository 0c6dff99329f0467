import type { SimCluster } from './sim-cluster.js';
import type { SimNode } from './types.js';
import { isSimpleMatchPattern, simpleMatch, splitCommaList } from './wildcard.js';

/**
 * DiscoveryNodes.resolveNodes: the node specifications of `/_nodes/{node_id}` and
 * `/_cat/allocation/{node_id}`: `_all`, `_local`, `_master`, ids, names, IPs, host names,
 * wildcards, `role:true|false` (data, master, ingest, ...) and `attribute:value` (zone:spot).
 * Only live nodes are ever selected, as only they are in the cluster state.
 */
export function selectNodes(cluster: SimCluster, expression: string | undefined): SimNode[] {
  const live = cluster.nodes().filter((n) => n.alive);
  const specs = expression === undefined || expression === '' ? ['_all'] : splitCommaList(expression);
  const chosen = new Set<SimNode>();
  for (const spec of specs) {
    if (spec === '_all' || spec === '*') live.forEach((n) => chosen.add(n));
    else if (spec === '_local' || spec === '_master') {
      const master = cluster.master();
      if (master) chosen.add(master);
    } else if (spec.includes(':')) {
      const [key = '', value = ''] = spec.split(':', 2);
      for (const n of live) if (matchesAttribute(n, key, value)) chosen.add(n);
    } else {
      for (const n of live) {
        if (n.id === spec) chosen.add(n);
        else if ([n.name, n.ip, n.host].some((v) => (isSimpleMatchPattern(spec) ? simpleMatch(spec, v) : v === spec)))
          chosen.add(n);
      }
    }
  }
  return live.filter((n) => chosen.has(n));
}

function matchesAttribute(node: SimNode, key: string, value: string): boolean {
  const roleKeys: Record<string, (n: SimNode) => boolean> = {
    data: (n) => n.isData,
    master: (n) => n.isMasterEligible,
    ingest: (n) => n.roles.includes('ingest'),
    ml: (n) => n.roles.includes('ml'),
    coordinating_only: (n) => n.roles.length === 0,
  };
  const role = roleKeys[key] ?? (node.roles.includes(key) ? (n: SimNode) => n.roles.includes(key) : undefined);
  if (role) return role(node) === (value === 'true');
  const own = node.attributes[key];
  return own !== undefined && simpleMatch(value, own);
}

/** The role letters `_cat/nodes` and `_cat/allocation` print (DiscoveryNodeRole.roleNameAbbreviation). */
export function roleAbbreviation(node: SimNode): string {
  const letters: Record<string, string> = {
    data: 'd',
    data_cold: 'c',
    data_content: 's',
    data_frozen: 'f',
    data_hot: 'h',
    data_warm: 'w',
    ingest: 'i',
    master: 'm',
    ml: 'l',
    remote_cluster_client: 'r',
    transform: 't',
    voting_only: 'v',
  };
  const text = node.roles
    .map((r) => letters[r] ?? '')
    .filter(Boolean)
    .sort()
    .join('');
  return text === '' ? '-' : text;
}
