import {
  compareSettings,
  ENABLE_KEY,
  type ClusterReader,
  type ClusterSettings,
} from '../../targets/elasticsearch/index.js';
import { drainNodes, type DrainParams } from './drain-params.js';

/**
 * The facts the approver saw may have changed while the request waited: the node may be gone or
 * have another IP, a transient setting may now override ours, the cluster may be red. Returns why
 * the write must not happen (`problem`), and the settings it read them from.
 */
export async function recheckBeforeWrite(
  cluster: ClusterReader,
  p: DrainParams,
): Promise<{ problem?: string; settings: ClusterSettings }> {
  const [health, nodes, settings] = await Promise.all([cluster.health(), cluster.nodes(), cluster.settings()]);
  const problem = recheckProblem(health.status, nodes.nodes, settings, p);
  return problem ? { problem, settings } : { settings };
}

function recheckProblem(
  health: string,
  nodes: { name: string; ip: string }[],
  settings: ClusterSettings,
  p: DrainParams,
): string | undefined {
  for (const want of drainNodes(p)) {
    const node = nodes.find((n) => n.name === want.node);
    if (!node) return `${want.node} is no longer in the cluster; nothing was written`;
    if (p.attr === '_ip' && node.ip !== want.ip)
      return (
        `${want.node}'s IP changed from ${want.ip} to ${node.ip} since the plan; ` +
        'nothing was written: request the drain again'
      );
  }
  if (health === 'red') return 'the cluster turned red since the plan; nothing was written';
  const overriding = compareSettings(settings, (k) => k === p.key || k === ENABLE_KEY).find(
    (r) => r.transient !== undefined && (r.key === ENABLE_KEY ? r.transient !== 'all' : true),
  );
  if (overriding)
    return (
      `transient ${overriding.key} = "${overriding.transient}" now overrides the persistent setting; ` +
      'nothing was written: clear it and request again'
    );
  return undefined;
}
