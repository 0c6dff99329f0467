import type { Client } from '@elastic/elasticsearch';
import type { Estate } from '../../config/estate.js';
import { connectCluster } from './connect.js';
import { ClusterReader } from './cluster-reader.js';
import { OperatorError } from '../../problem.js';

/** A --cluster name that opsbot.yaml does not define; the message lists the ones it does. */
export class UnknownClusterError extends OperatorError {
  override name = 'UnknownClusterError';
  constructor(
    readonly requested: string,
    readonly known: string[],
    next = 'Pass --cluster with one of those names.',
  ) {
    super(`unknown cluster "${requested}": known clusters are ${known.join(', ')}`, next);
  }
}

/** The named clusters of the estate; one client each, made on first use and kept. */
export class Clusters {
  private readonly readers = new Map<string, ClusterReader>();

  /** @param onConnect sees each client once, when it is made (metrics observe it there). */
  constructor(
    private readonly estate: Estate,
    private readonly env: NodeJS.ProcessEnv = process.env,
    private readonly onConnect?: (cluster: string, client: Client) => void,
  ) {}

  get defaultName(): string {
    return this.estate.defaultCluster;
  }

  names(): string[] {
    return Object.keys(this.estate.clusters);
  }

  /** The cluster named by --cluster, or the default one. */
  get(name?: string): ClusterReader {
    const key = name ?? this.estate.defaultCluster;
    const cfg = this.estate.clusters[key];
    if (!cfg) throw new UnknownClusterError(key, this.names());
    let reader = this.readers.get(key);
    if (!reader) {
      const client = connectCluster(key, cfg, this.env);
      this.onConnect?.(key, client);
      reader = new ClusterReader(key, client, cfg.url);
      this.readers.set(key, reader);
    }
    return reader;
  }

  async close(): Promise<void> {
    await Promise.all([...this.readers.values()].map((r) => r.client.close()));
    this.readers.clear();
  }
}
