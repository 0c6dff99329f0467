import type { Estate } from '../../config/estate.js';
import type { Clusters } from '../../targets/elasticsearch/index.js';
import type { SshKey } from './node-shell.js';

/** What the cluster-maintenance steps need: the clusters, their config (SSH, templates, timeouts) and the SSH key. */
export interface MaintenanceDeps {
  clusters: Clusters;
  estate: Estate;
  sshKey: SshKey;
}
