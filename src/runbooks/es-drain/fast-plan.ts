import type { ClusterReader, ClusterSettings, CopySplit } from '../../targets/elasticsearch/index.js';
import { readCopySplit, recoveryLimits } from '../../targets/elasticsearch/index.js';
import {
  effectiveThrottle,
  fastSettings,
  LIMIT_NAMES,
  throttleMagnitude,
  type FastRecoveryLimits,
  type ThrottleValues,
} from '../../targets/elasticsearch/recovery-throttle.js';
import { forecastDrain } from './drain-eta.js';

/** What `--fast` adds to a drain's plan: the throttles raised, what they were, the time either way. */
export interface FastThrottle {
  /** The persistent values written (only keys the limits raise). */
  raise: Record<string, string>;
  /** The persistent values at plan time (null: unset); the step reads them again just before writing. */
  before: ThrottleValues;
  /** The effective values at plan time (transient over persistent over default), as the card shows them. */
  effectiveBefore: Record<string, string>;
  /** The expected drain time at the throttles in force and at the raised ones (ETA model). */
  defaultSeconds?: number;
  fastSeconds?: number;
}

const setIn = (cluster: string, key: string) => `clusters.${cluster}.fastRecovery.${key}`;

/**
 * `--fast` for a drain: the raise, or the refusals that say exactly what to change. Refused with
 * no limits configured (naming the opsbot.yaml keys), with a transient value that would override
 * the persistent write, with a limit below the value in force (showing it), or when every
 * throttle is already at its limit.
 */
export function planFast(
  cluster: string,
  settings: ClusterSettings,
  limits: FastRecoveryLimits | undefined,
  split?: CopySplit,
): { fast?: FastThrottle; refusals: string[] } {
  if (!limits)
    return {
      refusals: [
        `--fast needs the limits for cluster ${cluster} in opsbot.yaml: set ${setIn(cluster, 'maxBytesPerSec')} ` +
          '(e.g. 400mb, what the network and disks carry) and, if wanted, ' +
          `${setIn(cluster, 'nodeConcurrentIncomingRecoveries')}, ` +
          `${setIn(cluster, 'nodeConcurrentOutgoingRecoveries')} or ${setIn(cluster, 'nodeConcurrentRecoveries')}; ` +
          'restart the bot, then ask again (or drain without --fast)',
      ],
    };
  const wanted = fastSettings(limits);
  const refusals: string[] = [];
  const raise: Record<string, string> = {};
  const effectiveBefore: Record<string, string> = {};
  for (const [key, value] of Object.entries(wanted)) {
    const now = effectiveThrottle(settings, key);
    const transient = settings.transient[key];
    if (transient !== undefined) {
      refusals.push(
        `transient ${key} = "${transient}" would override the persistent value --fast writes: clear it first ` +
          `(PUT _cluster/settings {"transient": {"${key}": null}}), then ask again`,
      );
      continue;
    }
    const have = throttleMagnitude(key, now);
    const want = throttleMagnitude(key, value);
    if (want < have) {
      const shown =
        key.endsWith('max_bytes_per_sec') && have === Number.POSITIVE_INFINITY ? `${now} (unthrottled)` : now;
      refusals.push(
        `${setIn(cluster, LIMIT_NAMES[key]!)} is ${value} but ${key} is ${shown} now: --fast would slow ` +
          'the drain down. Drain without --fast, or raise the limit in opsbot.yaml',
      );
      continue;
    }
    if (want > have) {
      raise[key] = value;
      effectiveBefore[key] = now;
    }
  }
  if (refusals.length) return { refusals };
  if (!Object.keys(raise).length)
    return {
      refusals: [
        `the recovery throttles on ${cluster} are already at the fastRecovery limits ` +
          `(${Object.entries(wanted)
            .map(([k, v]) => `${k} = ${v}`)
            .join(', ')}): drain without --fast`,
      ],
    };
  const before = Object.fromEntries(Object.keys(raise).map((k) => [k, settings.persistent[k] ?? null]));
  const fast: FastThrottle = { raise, before, effectiveBefore };
  if (split) {
    const after = { persistent: { ...settings.persistent, ...raise }, transient: settings.transient };
    const left = split.primaryBytes + split.replicaBytes;
    const at = (s: ClusterSettings) => forecastDrain({ split, limits: recoveryLimits(s), left, at: 0 }, left)?.seconds;
    const d = at(settings);
    const f = at(after);
    if (d !== undefined) fast.defaultSeconds = d;
    if (f !== undefined) fast.fastSeconds = f;
  }
  return { fast, refusals };
}

/**
 * `--fast` for a drain of `nodes` on `cluster`: the settings in force and, for the card's two
 * expected times, the nodes' primaries/replicas split (one shard-table read, at plan time only).
 * Without --fast: nothing, nothing read.
 */
export async function readFastPlan(
  cluster: ClusterReader,
  limits: FastRecoveryLimits | undefined,
  nodes: string[],
  wanted: boolean | undefined,
): Promise<{ fast?: FastThrottle; refusals: string[] }> {
  if (!wanted) return { refusals: [] };
  const settings = await cluster.settings();
  // An expected time is no verdict: an unreadable shard table leaves the card without one.
  const split = nodes.length === 1 ? await readCopySplit(cluster, nodes[0]!).catch(() => undefined) : undefined;
  return planFast(cluster.name, settings, limits, split);
}
