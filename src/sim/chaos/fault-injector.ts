import type { SimCluster } from '../es/index.js';
import type { Fault } from './fault-schedule.js';
import type { InvariantMonitor } from './invariant-monitor.js';
import type { NodeControl } from './node-control.js';

const ENABLE = 'cluster.routing.allocation.enable';
const EXCLUDE_IP = 'cluster.routing.allocation.exclude._ip';
/** Disk use a filled disk is brought to: just over the high (90%) or the flood-stage (95%) watermark. */
const FILL = { 'disk-high': 0.91, 'disk-flood': 0.96 } as const;

export interface FaultTargets {
  cluster: SimCluster;
  monitor: InvariantMonitor;
  nodes: NodeControl;
  /** The simulator's URL: ES-level faults are set through its `/_sim/faults`. */
  simUrl: string;
}

/**
 * Applies a schedule's faults when simulated time reaches them (`tick`, called by the harness's
 * clock after every step), and ends the temporary ones (a crashed node back, an override
 * cleared). Every change to the cluster goes through the monitor's `byFault`, so it is never
 * taken for the bot's.
 */
export class FaultInjector {
  readonly applied: string[] = [];
  private readonly pending: Fault[];
  private readonly endings: Array<{ at: number; what: string; end: () => void }> = [];
  private readonly requests: Promise<unknown>[] = [];
  /** Simulated time of the approval; faults wait until then. */
  private startMs: number | undefined;

  constructor(
    private readonly t: FaultTargets,
    faults: Fault[],
  ) {
    this.pending = [...faults];
  }

  /** Fault times count from here (the approval). */
  arm(): void {
    this.startMs = this.t.cluster.now;
  }

  tick(): void {
    if (this.startMs === undefined) return;
    const elapsed = this.t.cluster.now - this.startMs;
    while (this.pending.length && this.pending[0]!.atMs <= elapsed) this.apply(this.pending.shift()!);
    for (const e of [...this.endings]) {
      if (e.at > this.t.cluster.now) continue;
      this.endings.splice(this.endings.indexOf(e), 1);
      this.applied.push(`t=${this.t.cluster.now}ms end of ${e.what}`);
      this.t.monitor.byFault(e.end);
    }
  }

  /** ES faults are set over HTTP; waits for those requests (none may be left when the stack closes). */
  async settle(): Promise<void> {
    await Promise.allSettled(this.requests.splice(0));
  }

  private later(forMs: number | undefined, what: string, end: () => void): void {
    if (forMs !== undefined) this.endings.push({ at: this.t.cluster.now + forMs, what, end });
  }

  private apply(f: Fault): void {
    const { cluster, monitor, nodes } = this.t;
    const node = f.node;
    const what = `${f.kind}${node ? ` ${node}` : ''}`;
    this.applied.push(`t=${cluster.now}ms ${what}`);
    switch (f.kind) {
      case 'node-crash':
      case 'node-never-returns': {
        if (f.kind === 'node-never-returns') nodes.killForGood(node!);
        monitor.faultStopped(node!);
        monitor.byFault(() => cluster.stopNode(node!));
        if (f.kind === 'node-crash') {
          this.later(f.forMs, what, () => {
            if (!nodes.isDead(node!)) cluster.startNode(node!);
          });
        }
        return;
      }
      case 'transient-override':
        monitor.byFault(() => cluster.putSettings({ transient: { [ENABLE]: 'none' } }));
        this.later(f.forMs, what, () => cluster.putSettings({ transient: { [ENABLE]: null } }));
        return;
      case 'exclusion-removed': {
        const list = String(cluster.settings.persistent.get(EXCLUDE_IP) ?? '');
        const kept = list.split(',').filter((e) => e && !cluster.nodes().some((n) => n.ip === e));
        if (kept.join(',') === list) {
          this.applied.push('  (nothing to remove yet)');
          return;
        }
        monitor.byFault(() =>
          cluster.putSettings({ persistent: { [EXCLUDE_IP]: kept.length ? kept.join(',') : null } }),
        );
        return;
      }
      case 'disk-high':
      case 'disk-flood': {
        const sim = cluster.nodeByName(node!);
        // Something else (logs, a snapshot) fills the disk: what the shards use is then this share of it.
        const used = Math.max(cluster.nodeBytes(node!), 1024 ** 2);
        monitor.faultFilledDisk(node!);
        monitor.byFault(() => {
          sim.diskTotal = Math.ceil(used / FILL[f.kind as keyof typeof FILL]);
          cluster.state.dirty = true;
          cluster.settle();
        });
        return;
      }
      case 'ssh-hang':
        nodes.hangNext(node!);
        return;
      case 'es-429':
        this.setEsFault({ mode: 'status', status: 429, count: f.count ?? 1 });
        return;
      case 'es-timeout':
        this.setEsFault({ mode: 'timeout', durationMs: f.count ?? 500 });
        return;
    }
  }

  private setEsFault(spec: Record<string, unknown>): void {
    this.requests.push(
      fetch(`${this.t.simUrl}/_sim/faults`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(spec),
      }).then((r) => r.text()),
    );
  }
}
