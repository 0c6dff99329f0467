import type { Logger } from '../log.js';
import { requireSupportedVersion, UnsupportedVersionError, type Clusters } from '../targets/elasticsearch/index.js';

/**
 * At start-up: the first cluster of opsbot.yaml that answers with a release opsbot does not
 * support (7.x or older), or undefined. A cluster that cannot be reached now is logged and let
 * be: it may come back, and /es status checks again then.
 */
export async function unsupportedCluster(
  clusters: Clusters,
  log: Logger,
): Promise<UnsupportedVersionError | undefined> {
  for (const name of clusters.names()) {
    try {
      await requireSupportedVersion(clusters.get(name));
    } catch (err) {
      if (err instanceof UnsupportedVersionError) return err;
      log.warn({ err, cluster: name }, 'cluster not reachable at start-up; its version is checked when it is used');
    }
  }
  return undefined;
}

/** The one line a process prints before it stops on an unsupported cluster. */
export function unsupportedLine(err: UnsupportedVersionError): string {
  return `opsbot: ${err.message}. ${err.next}\n`;
}
