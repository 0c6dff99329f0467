import type { CopySplit, RecoveryLimits } from '../../targets/elasticsearch/index.js';

/**
 * A drain's finish forecast from the physics of ES recoveries, not from the last rate. ES rebuilds
 * every copy from its primary, so the bytes on a drained node leave by two streams at once:
 * - its own primaries, all sent by the node itself through its one outbound throttle
 *   (`max_bytes_per_sec`, shared by its `node_concurrent_outgoing_recoveries`);
 * - its replicas, rebuilt by the nodes holding their primaries, many senders in parallel, each
 *   throttled on its way out and each receiver on its way in.
 * The fast replica stream ends first; an extrapolated rate sees it and promises far too soon.
 */

/** Where the forecast starts: the split and the limits read at the same moment. */
export interface EtaAnchor {
  split: CopySplit;
  limits: RecoveryLimits;
  /** Bytes left on the node (as the progress poll counts them) when the split was read. */
  left: number;
  at: number;
}

export interface StreamRates {
  /** Bytes per second of the node's own primaries leaving while its replicas move too. */
  primary: number;
  /** The same once the replicas are gone (their receivers no longer shared). */
  primaryAlone: number;
  /** Bytes per second of its replicas being rebuilt elsewhere, all senders together. */
  replica: number;
}

export interface DrainEta {
  /** Seconds to the finish, the central figure. */
  seconds: number;
  /** The range when uncertain (equal to `seconds` when not). */
  low: number;
  high: number;
  rates: StreamRates;
  /** Only one stream is left (the other has finished, or never existed). */
  oneStream: boolean;
}

/**
 * The rate of each stream with the limits in force. The node's primaries share its outbound
 * throttle (at most `outgoing` at once); each also shares its receiver's inbound throttle with
 * the replica recoveries landing there (spread over the receivers, at most `incoming` a node),
 * so with more incoming than outgoing slots the node may not fill its own throttle until its
 * replicas are gone. The replicas are bounded by their senders' outbound throttles and by what
 * the receivers' inbound throttles leave after the primaries.
 */
export function streamRates(split: CopySplit, limits: RecoveryLimits): StreamRates {
  const b = limits.bytesPerSec > 0 ? limits.bytesPerSec : 0;
  const outgoing = Math.min(limits.outgoing, Math.max(1, split.primaries));
  const replicaSlots =
    split.replicas > 0
      ? Math.min(split.replicaSenders * limits.outgoing, split.receivers * limits.incoming - outgoing, split.replicas)
      : 0;
  const sharing = Math.min(limits.incoming, 1 + Math.max(0, replicaSlots) / Math.max(1, split.receivers));
  const leaving = (perReceiver: number) => (split.primaries > 0 ? Math.min(b, (outgoing * b) / perReceiver) : 0);
  const primary = leaving(sharing);
  const receiving = Math.max(0, split.receivers * b - primary);
  const replica = split.replicas > 0 ? Math.min(split.replicaSenders * b, receiving) : 0;
  return { primary, primaryAlone: leaving(1), replica };
}

/** Below this the range is not worth showing: the figure is as good as the throttle. */
const MIN_SPREAD = 0.05;
/** While both streams run, how far the replica stream's tail may be off. */
const TWO_STREAM_SPREAD = 0.1;

/**
 * The forecast for `left` bytes still on the node. The anchor's bytes are split between the
 * streams in the anchor's proportion; the bytes moved since then place the drain on the model's
 * timeline (by bytes, not by clock, so a model a little off in time does not accumulate). With
 * one stream left, the observed rate (if any) widens the range; with two, the replica tail does.
 * Unthrottled (`max_bytes_per_sec: 0`) there is no physics to go by: the observed rate, or nothing.
 */
export function forecastDrain(anchor: EtaAnchor, left: number, observedRate?: number): DrainEta | undefined {
  const rates = streamRates(anchor.split, anchor.limits);
  if (left > 0 && rates.primary + rates.replica <= 0) {
    if (!observedRate || observedRate <= 0) return undefined;
    const seconds = left / observedRate;
    return { seconds, low: seconds, high: seconds, rates, oneStream: true };
  }
  const total = anchor.split.primaryBytes + anchor.split.replicaBytes;
  const scale = total > 0 ? anchor.left / total : 0;
  const p0 = anchor.split.primaryBytes * scale;
  const r0 = anchor.split.replicaBytes * scale;
  const tp = p0 > 0 ? p0 / rates.primary : 0;
  const tr = r0 > 0 ? r0 / rates.replica : 0;
  const both = Math.min(tp, tr);
  const bothRate = rates.primary + rates.replica;
  const moved = Math.max(0, anchor.left - left);
  let seconds: number;
  let oneStream: boolean;
  if (moved < both * bothRate) {
    // The slower stream's rest after the faster one ends: primaries then have their receivers alone.
    const after =
      tp > tr ? (p0 - rates.primary * both) / rates.primaryAlone : (r0 - rates.replica * both) / rates.replica;
    seconds = both - moved / bothRate + after;
    oneStream = false;
  } else {
    const rate = tp >= tr ? rates.primaryAlone : rates.replica;
    seconds = rate > 0 ? left / rate : 0;
    oneStream = true;
  }
  if (!Number.isFinite(seconds)) seconds = 0;
  let low = seconds * (1 - (oneStream ? MIN_SPREAD : TWO_STREAM_SPREAD));
  let high = seconds * (1 + (oneStream ? MIN_SPREAD : TWO_STREAM_SPREAD));
  if (oneStream && observedRate !== undefined && observedRate > 0) {
    const observed = left / observedRate;
    low = Math.min(low, observed);
    high = Math.max(high, observed);
  }
  return { seconds, low, high, rates, oneStream };
}

/**
 * The forecast of a drain of one node or of several at once: each node's from its own anchor (in a
 * set, its split counts its share of the receivers and senders, see readCopySplits) and its own
 * bytes left; the set is done when its slowest node is. The observed rate is the whole drain's,
 * so it widens the range of a lone node only. A node with nothing left adds nothing.
 */
export function forecastDrainSet(
  anchors: Readonly<Record<string, EtaAnchor>>,
  left: Readonly<Record<string, number>>,
  observedRate?: number,
): DrainEta | undefined {
  const entries = Object.entries(anchors);
  let out: DrainEta | undefined;
  for (const [node, anchor] of entries) {
    const eta = forecastDrain(anchor, left[node] ?? 0, entries.length === 1 ? observedRate : undefined);
    if (!eta) return undefined; // unthrottled: no physics for any of them
    if (!out) out = eta;
    else
      out = {
        seconds: Math.max(out.seconds, eta.seconds),
        low: Math.max(out.low, eta.low),
        high: Math.max(out.high, eta.high),
        rates: eta.seconds > out.seconds ? eta.rates : out.rates,
        oneStream: out.oneStream && eta.oneStream,
      };
  }
  return out;
}

/** Without the split (the shard table could not be read): bytes left ÷ the observed rate, as a guess. */
export function rateOnlyEta(left: number, observedRate: number): DrainEta | undefined {
  if (!(observedRate > 0)) return undefined;
  const seconds = left / observedRate;
  return {
    seconds,
    low: seconds * 0.5,
    high: seconds * 2,
    rates: { primary: 0, primaryAlone: 0, replica: 0 },
    oneStream: false,
  };
}

/** `2 h 40 m`, `45 m`, `3 h`: rounded to what a person plans with (1, 5 or 10 minutes). */
export function roughDuration(seconds: number): string {
  if (seconds < 30) return 'under a minute';
  const min = seconds / 60;
  const step = min < 60 ? 1 : min < 180 ? 5 : 10;
  const m = Math.max(1, Math.round(min / step) * step);
  const h = Math.floor(m / 60);
  if (!h) return `${m} m`;
  return m % 60 ? `${h} h ${m % 60} m` : `${h} h`;
}

/** "≈ 2 h 40 m, between 2 h 20 m and 3 h"; just "≈ 45 m" when the range rounds to one figure. */
export function describeEta(eta: DrainEta): string {
  const mid = roughDuration(eta.seconds);
  const low = roughDuration(eta.low);
  const high = roughDuration(eta.high);
  return low === high ? `≈ ${mid}` : `≈ ${mid}, between ${low} and ${high}`;
}

/**
 * The least time the throttles allow for a drain, whoever runs it: the node's primaries all
 * leave through its own outbound throttle, its replicas through their senders', and every byte
 * enters a receiver through its inbound one. The bot is never the bottleneck when a drain's
 * wall time stays near this. Unthrottled (`max_bytes_per_sec: 0`): 0, nothing bounds it.
 */
export function minimumDrainSeconds(split: CopySplit, limits: RecoveryLimits): number {
  const b = limits.bytesPerSec;
  if (!(b > 0)) return 0;
  const primaries = split.primaryBytes / b;
  const replicas = split.replicaBytes > 0 ? split.replicaBytes / (Math.max(1, split.replicaSenders) * b) : 0;
  const received = (split.primaryBytes + split.replicaBytes) / (Math.max(1, split.receivers) * b);
  return Math.max(primaries, replicas, received);
}
