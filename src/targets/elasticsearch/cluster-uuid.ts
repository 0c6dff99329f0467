import type { ClusterReader } from './cluster-reader.js';
import { ClusterError } from './errors.js';

/**
 * The cluster's UUID, from `GET /` (`cluster_uuid`): what one cluster is, whatever name (or
 * however many names) opsbot.yaml gives it. ES answers `_na_` until the cluster has formed
 * (no elected master yet): that is no identity, so it is refused like an unreachable cluster.
 */
export async function readClusterUuid(reader: ClusterReader): Promise<string> {
  const info = await reader.call(() => reader.client.info());
  const uuid = info.cluster_uuid;
  if (!uuid || uuid === '_na_')
    throw new ClusterError(
      `cluster ${reader.name} (${reader.url}) has no cluster_uuid yet (answered "${uuid ?? ''}"): it has not formed`,
      'unreachable',
      true,
    );
  return uuid;
}
