import type { Health } from '../../targets/elasticsearch/index.js';

/** A node as the cluster itself listed it when the plan was made: SSH goes to these values only. */
export interface NodeRef {
  name: string;
  ip: string;
  host: string;
  zone?: string;
}

/** Parameters shared by the cluster-maintenance runbooks. */
export interface MaintenanceParams {
  [key: string]: unknown;
  cluster: string;
  nodes: NodeRef[];
  /** Health when the run was requested: waits end when health is no worse. */
  baselineHealth: Health;
}
