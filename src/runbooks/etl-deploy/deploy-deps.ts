import type { Estate } from '../../config/estate.js';
import type { Clusters } from '../../targets/elasticsearch/index.js';
import type { EtlTargets } from '../../targets/etl/index.js';

/** What the ETL deploy steps need: the ETL's targets, the clusters (new tables) and the estate (timings). */
export interface EtlDeployDeps {
  etl: EtlTargets;
  clusters: Clusters;
  estate: Estate;
}
