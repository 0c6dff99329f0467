import { EsError } from '../es-error.js';

export type FaultMode = 'none' | 'status' | 'timeout' | 'reset';

export interface FaultSpec {
  mode: FaultMode;
  /** For mode 'status': 429, 503 or 500. */
  status?: number;
  /** Fail this many requests, then recover. */
  count?: number;
  /** Fail for this many real milliseconds, then recover. */
  durationMs?: number;
}

/** What to do with one request to an Elasticsearch endpoint while a fault is set. */
export type FaultAction = { kind: 'pass' } | { kind: 'status'; error: EsError } | { kind: 'hold' } | { kind: 'reset' };

const STATUS_ERRORS: Record<number, [string, string]> = {
  429: [
    'es_rejected_execution_exception',
    'rejected execution of coordinating operation [simulated fault], coordinating_and_primary_bytes=0, ' +
      'replica_bytes=0, all_bytes=0, coordinating_operation_bytes=0, max_coordinating_and_primary_bytes=0',
  ],
  503: ['master_not_discovered_exception', 'simulated fault: no master node is available'],
  500: ['exception', 'simulated fault: internal server error'],
};

/**
 * Fault injection for the bot's error handling: ES endpoints answer with an error status, never
 * answer (the request is held until the fault ends or the client gives up), or have their
 * socket destroyed. `/_sim` control endpoints are never affected.
 */
export class FaultInjector {
  private spec: FaultSpec = { mode: 'none' };
  private remaining = Number.POSITIVE_INFINITY;
  private timer: NodeJS.Timeout | null = null;
  private waiters: Array<() => void> = [];

  set(spec: FaultSpec): void {
    if (!['none', 'status', 'timeout', 'reset'].includes(spec.mode)) {
      throw new EsError(400, 'illegal_argument_exception', `unknown fault mode [${String(spec.mode)}]`);
    }
    if (spec.mode === 'status' && !STATUS_ERRORS[spec.status ?? 503]) {
      throw new EsError(
        400,
        'illegal_argument_exception',
        `fault status must be 429, 503 or 500, got [${spec.status}]`,
      );
    }
    this.clearTimer();
    this.spec = spec;
    this.remaining = spec.count ?? Number.POSITIVE_INFINITY;
    if (spec.mode === 'none') this.releaseWaiters();
    else if (spec.durationMs !== undefined) {
      this.timer = setTimeout(() => this.set({ mode: 'none' }), spec.durationMs);
      this.timer.unref();
    }
  }

  current(): FaultSpec {
    return { ...this.spec };
  }

  take(): FaultAction {
    if (this.spec.mode === 'none' || this.remaining <= 0) return { kind: 'pass' };
    this.remaining--;
    const { mode, status = 503 } = this.spec;
    if (this.remaining <= 0 && mode !== 'timeout') this.set({ mode: 'none' });
    if (mode === 'status') {
      const [type, reason] = STATUS_ERRORS[status] as [string, string];
      return { kind: 'status', error: new EsError(status, type, reason) };
    }
    return { kind: mode === 'timeout' ? 'hold' : 'reset' };
  }

  /** Resolves when the current fault ends (a held request is then answered normally). */
  waitUntilCleared(): Promise<void> {
    if (this.spec.mode === 'none') return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  close(): void {
    this.clearTimer();
    this.releaseWaiters();
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private releaseWaiters(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }
}
