import type { Estate } from '../../config/estate.js';
import type { Engine } from '../../engine/index.js';
import type { Logger } from '../../log.js';
import type { ActiveDataService } from '../../targets/activedata/index.js';
import type { Clusters } from '../../targets/elasticsearch/index.js';
import type { AccessPolicy, ResolvedRule } from '../access-policy.js';
import type { Reply } from '../reply.js';
import type { EtlContext } from './etl-context.js';

/** What every command handler gets: who asked, where, how to answer, and the estate's adapters. */
export interface CommandContext {
  user: string;
  team?: string;
  channel: string;
  /** Slack's id of this invocation; a retried delivery carries the same one. */
  triggerId?: string;
  reply: Reply;
  log: Logger;
  clusters: Clusters;
  estate: Estate;
  engine: Engine;
  /** Who may run and approve what (the policy file). */
  access: AccessPolicy;
  /** This command's policy name ("es drain") and the rule that applies to it. */
  commandKey: string;
  rule: ResolvedRule;
  /** The ActiveData frontend (opsbot.yaml `service:`); absent when not configured. */
  activedata?: ActiveDataService;
  /** The ETL fleet, queues, buckets and SpotManager, with the queue looks of /etl status. */
  etl?: EtlContext;
}
