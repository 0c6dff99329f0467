import { OperatorError } from '../problem.js';
import { readClusterUuid, splitList, type Clusters } from '../targets/elasticsearch/index.js';

/**
 * Every runbook that changes a cluster's allocation takes this lock: never two at once on one
 * cluster. It is keyed by the UUID the cluster itself reports, so two names in opsbot.yaml for
 * one cluster share one lock. Fails closed: a cluster whose UUID cannot be read gets no run.
 */
export function allocationLock(clusters: Clusters): (p: { cluster: string }) => Promise<string> {
  return async (p) => {
    try {
      return `es-allocation:${await readClusterUuid(clusters.get(p.cluster))}`;
    } catch (err) {
      const why = err instanceof Error ? err.message : String(err);
      throw new OperatorError(
        `cluster unreachable: could not read the UUID of cluster ${p.cluster}, which its lock is keyed by ` +
          `(${why}). Nothing was started.`,
        `Check the cluster (/es status --cluster ${p.cluster}) and its url in opsbot.yaml, then retry.`,
      );
    }
  };
}

/**
 * The facts an approval of a cluster change is bound to: the allocation settings as they are
 * (persistent and transient exclusions and enable) and the nodes with their IPs. If any of these
 * changes between the approval and the first write, the approval is void and asked again.
 */
export async function allocationFacts(clusters: Clusters, cluster: string): Promise<Record<string, string>> {
  const reader = clusters.get(cluster);
  const settings = await reader.settings();
  const { nodes } = await reader.nodes(settings);
  const facts: Record<string, string> = {
    nodes: nodes
      .map((n) => `${n.name}@${n.ip}`)
      .sort()
      .join(' '),
  };
  for (const [side, values] of [
    ['persistent', settings.persistent],
    ['transient', settings.transient],
  ] as const) {
    for (const [k, v] of Object.entries(values)) {
      if (/^cluster\.routing\.allocation\.(enable|exclude\.|include\.|require\.)/.test(k)) {
        facts[`${side} ${k.replace('cluster.routing.allocation.', '')}`] = k.includes('.exclude.')
          ? splitList(v).join(',')
          : v;
      }
    }
  }
  return facts;
}
