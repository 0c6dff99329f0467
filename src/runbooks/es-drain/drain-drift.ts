import {
  AllocationWriter,
  effectiveEnable,
  ENABLE_KEY,
  splitList,
  type ClusterReader,
  type ClusterSettings,
} from '../../targets/elasticsearch/index.js';
import { drainNodes, drainValues, type DrainParams } from './drain-params.js';

const names = (p: DrainParams) =>
  drainNodes(p)
    .map((n) => n.node)
    .join(', ');
const missing = (p: DrainParams, list: string[]) =>
  drainValues(p)
    .filter((v) => !list.includes(v))
    .join(',');

/**
 * Something outside this run changed what the drain relies on, seen on a progress poll (one
 * `_cluster/settings` read): its exclusion entry is no longer in force, or allocation is not
 * `all`. Either way the drain cannot finish as planned, and the person decides what next.
 */
export type Drift =
  | { kind: 'exclusion-removed'; list: string[] }
  | { kind: 'exclusion-overridden'; transientList: string[] }
  | { kind: 'enable'; effective: string; transient?: string };

/**
 * `enableAtPlan`: the effective value the approvers saw (from the run's plan facts). A drain
 * requested while allocation was already off was warned about on its card: that is a stall to
 * explain, not a change to re-apply.
 */
export function drainDrift(s: ClusterSettings, p: DrainParams, enableAtPlan: string): Drift | undefined {
  const transient = s.transient[p.key];
  const values = drainValues(p);
  if (transient !== undefined && !values.every((v) => splitList(transient).includes(v)))
    return { kind: 'exclusion-overridden', transientList: splitList(transient) };
  const list = splitList(s.persistent[p.key]);
  if (transient === undefined && !values.every((v) => list.includes(v))) return { kind: 'exclusion-removed', list };
  const effective = effectiveEnable(s);
  if (effective !== 'all' && effective !== enableAtPlan)
    return {
      kind: 'enable',
      effective,
      ...(s.transient[ENABLE_KEY] !== undefined ? { transient: s.transient[ENABLE_KEY] } : {}),
    };
  return undefined;
}

/** The question on the card, naming the setting, what it is now, and both ways out. */
export function driftPrompt(d: Drift, p: DrainParams): { prompt: string; label: string } {
  const ways = 'or *Cancel and revert* to give up the drain.';
  switch (d.kind) {
    case 'exclusion-removed':
      return {
        label: 'Re-apply and continue',
        prompt:
          `:rotating_light: someone removed ${missing(p, d.list)} from persistent \`${p.key}\` ` +
          `(now: ${d.list.join(',') || 'empty'}): shards may move back onto ${names(p)}. ` +
          `Press *Re-apply and continue* to add it again, ${ways}`,
      };
    case 'exclusion-overridden':
      return {
        label: 'Remove the override and continue',
        prompt:
          `:rotating_light: a transient \`${p.key}\` (${d.transientList.join(',') || 'empty'}) now overrides ` +
          `the persistent list that drains ${names(p)}: shards may move back onto it. Press ` +
          `*Remove the override and continue* to remove the transient list, ${ways}`,
      };
    case 'enable':
      return {
        label: 'Remove the override and continue',
        prompt:
          `:rotating_light: \`${ENABLE_KEY}\` is now \`${d.effective}\`` +
          `${d.transient !== undefined ? ' (transient)' : ' (persistent)'}, set outside this run: no shard ` +
          `leaves ${names(p)} while it stays so. Press *Remove the override and continue* to set it back to ` +
          `\`all\`, ${ways}`,
      };
  }
}

/** What the person chose to re-apply, read back as the effective value (throws when overridden still). */
export async function repairDrift(cluster: ClusterReader, d: Drift, p: DrainParams): Promise<string> {
  const w = new AllocationWriter(cluster);
  switch (d.kind) {
    case 'exclusion-removed': {
      const change = await w.addExclusions(p.attr, drainValues(p));
      return `re-applied: persistent ${p.key} = ${change.after.join(',')}`;
    }
    case 'exclusion-overridden':
      await w.clearTransient(p.key);
      return `removed the transient ${p.key}; the persistent list drains ${names(p)} again`;
    case 'enable':
      if (d.transient !== undefined) await w.clearTransient(ENABLE_KEY);
      await w.setEnable(null);
      return `${ENABLE_KEY} is \`all\` again`;
  }
}
