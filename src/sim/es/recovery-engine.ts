import type { RoutingState } from './routing-state.js';
import type { Recovery } from './types.js';

/** Below this many bytes a transfer counts as finished (floating point leftovers). */
const DONE_EPSILON = 1e-3;

/**
 * Moves bytes. `indices.recovery.max_bytes_per_sec` limits each node's total inbound and its
 * total outbound recovery traffic (ES's per-node rate limiter), so concurrent recoveries on a
 * node share its budget: each gets min(rate / senders on its source, rate / receivers on its
 * target). Rates only change when a recovery starts or ends, which lets `advance` step from one
 * completion to the next and move exactly rate × time bytes.
 */
export class RecoveryEngine {
  constructor(
    private readonly state: RoutingState,
    private readonly bytesPerSec: () => number,
  ) {}

  /** Simulated ms until the first active recovery can finish; Infinity when none is active. */
  nextCompletionIn(now: number): number {
    const rates = this.rates();
    let next = Number.POSITIVE_INFINITY;
    for (const r of this.state.activeRecoveries) {
      const remaining = r.totalBytes - r.recoveredBytes;
      const rate = rates.get(r) ?? 0;
      const transferMs =
        remaining <= DONE_EPSILON
          ? 0
          : rate === Number.POSITIVE_INFINITY
            ? 0
            : rate > 0
              ? remaining / rate
              : Number.POSITIVE_INFINITY;
      next = Math.min(next, Math.max(transferMs, r.readyAt - now));
    }
    return Math.max(0, next);
  }

  /** Transfers bytes for `ms` simulated milliseconds at the current rates. */
  progress(ms: number): void {
    if (ms <= 0) return;
    for (const [r, rate] of this.rates()) {
      const moved = rate === Number.POSITIVE_INFINITY ? r.totalBytes : rate * ms;
      r.recoveredBytes = Math.min(r.totalBytes, r.recoveredBytes + moved);
      if (r.totalBytes - r.recoveredBytes <= DONE_EPSILON) r.recoveredBytes = r.totalBytes;
    }
  }

  /** Recoveries that have moved all their bytes and served their fixed overhead. */
  due(now: number): Recovery[] {
    const out: Recovery[] = [];
    for (const r of this.state.activeRecoveries) {
      if (r.totalBytes - r.recoveredBytes <= DONE_EPSILON && r.readyAt <= now) out.push(r);
    }
    return out;
  }

  /** Bytes per simulated millisecond for each recovery still transferring. */
  rates(): Map<Recovery, number> {
    const perSec = this.bytesPerSec();
    const senders = new Map<string, number>();
    const receivers = new Map<string, number>();
    const transferring: Recovery[] = [];
    for (const r of this.state.activeRecoveries) {
      if (r.totalBytes - r.recoveredBytes <= DONE_EPSILON) continue;
      transferring.push(r);
      if (r.sourceNodeId !== null) senders.set(r.sourceNodeId, (senders.get(r.sourceNodeId) ?? 0) + 1);
      receivers.set(r.targetNodeId, (receivers.get(r.targetNodeId) ?? 0) + 1);
    }
    const rates = new Map<Recovery, number>();
    for (const r of transferring) {
      const sendShare =
        r.sourceNodeId === null ? Number.POSITIVE_INFINITY : perSec / (senders.get(r.sourceNodeId) ?? 1);
      const receiveShare = perSec / (receivers.get(r.targetNodeId) ?? 1);
      rates.set(r, Math.min(sendShare, receiveShare) / 1000);
    }
    return rates;
  }
}
