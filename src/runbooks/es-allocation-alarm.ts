import type { Alarm, Run } from '../engine/index.js';
import { effectiveEnable, type Clusters } from '../targets/elasticsearch/index.js';

/** The condition "Disable shard movement" raises and "Enable shard movement" clears. */
export const ALLOCATION_DISABLED = 'allocation-disabled';

/** The runbook's worst trap, a cluster silently left with allocation off, as the card's alarm. */
export const allocationAlarms: Record<string, Alarm<{ cluster: string }>> = {
  [ALLOCATION_DISABLED]: {
    title: (p) => `Shard movement is still DISABLED on cluster ${p.cluster}`,
    detail: () => ' (`cluster.routing.allocation.enable` is not what it was before the run).',
    revert: 'Enable shard movement',
    fix: (p) => `request \`/es allocation all --cluster ${p.cluster}\``,
  },
};

/** The effective `allocation.enable` in a run's plan facts (see allocationFacts): what it was before. */
export function enableInFacts(facts: Record<string, string> | undefined): string {
  return facts?.['transient enable'] ?? facts?.['persistent enable'] ?? 'all';
}

/**
 * I3 at the end of every Elasticsearch run, whoever changed it: the effective `enable` (transient
 * over persistent) read now and compared with the value before the run. Different, or unreadable
 * (fail closed), the card keeps the "shard movement is DISABLED" alarm.
 */
export function allocationEndCheck(clusters: Clusters) {
  return async (run: Run): Promise<string[]> => {
    const cluster = (run.params as { cluster?: unknown }).cluster;
    if (typeof cluster !== 'string') return [];
    const before = enableInFacts(run.requestFacts ?? run.planFacts);
    try {
      const s = await clusters.get(cluster).settings();
      return effectiveEnable(s) === before ? [] : [ALLOCATION_DISABLED];
    } catch {
      return [ALLOCATION_DISABLED];
    }
  };
}
