import { parseByteSize } from './disk-watermarks.js';
import type { ClusterSettings } from './settings.js';

/** The recovery throttles in force: what bounds how fast a drain can move bytes. */
export interface RecoveryLimits {
  /**
   * `indices.recovery.max_bytes_per_sec`: each node's total outbound, and its total inbound,
   * recovery traffic; 0 = unthrottled.
   */
  bytesPerSec: number;
  /** `cluster.routing.allocation.node_concurrent_outgoing_recoveries` (falls back to `node_concurrent_recoveries`). */
  outgoing: number;
  /** `cluster.routing.allocation.node_concurrent_incoming_recoveries` (falls back to `node_concurrent_recoveries`). */
  incoming: number;
}

export const RATE_KEY = 'indices.recovery.max_bytes_per_sec';
const A = 'cluster.routing.allocation.';
/** ES's defaults: 40mb per second, 2 recoveries in and 2 out per node. */
export const DEFAULT_RECOVERY_LIMITS: RecoveryLimits = { bytesPerSec: 40 * 1024 ** 2, outgoing: 2, incoming: 2 };

/**
 * The effective recovery limits: transient over persistent over ES's defaults, as ES applies them.
 * A value ES would refuse cannot be in force, so an unreadable one falls back to the default.
 * `max_bytes_per_sec: 0` means unthrottled, and stays 0 here (it is kept in JSON step state).
 */
export function recoveryLimits(s: ClusterSettings): RecoveryLimits {
  const get = (key: string) => s.transient[key] ?? s.persistent[key];
  const rawRate = get(RATE_KEY);
  const rate = rawRate === undefined ? undefined : parseByteSize(rawRate);
  const count = (key: string, fallback: number) => {
    const v = Number(get(`${A}${key}`) ?? get(`${A}node_concurrent_recoveries`) ?? fallback);
    return Number.isInteger(v) && v > 0 ? v : fallback;
  };
  return {
    bytesPerSec: rate ?? DEFAULT_RECOVERY_LIMITS.bytesPerSec,
    outgoing: count('node_concurrent_outgoing_recoveries', DEFAULT_RECOVERY_LIMITS.outgoing),
    incoming: count('node_concurrent_incoming_recoveries', DEFAULT_RECOVERY_LIMITS.incoming),
  };
}

export const sameLimits = (a: RecoveryLimits, b: RecoveryLimits): boolean =>
  a.bytesPerSec === b.bytesPerSec && a.outgoing === b.outgoing && a.incoming === b.incoming;
