/**
 * The console's window on the simulated cluster: a compact summary of the simulator's
 * GET /_sim/state (nodes, shards per node, relocations) and its speed control, PUT /_sim/speed.
 * It reads the simulator's own control endpoints, as any client of it could.
 */

interface SimNodeState {
  name: string;
  ip: string;
  zone?: string;
  alive: boolean;
  shards: number;
  bytes: number;
  disk_total: number;
  incoming: number;
  outgoing: number;
}
interface SimRelocation {
  index: string;
  shard: number;
  primary: boolean;
  from: string | null;
  to: string | null;
  bytes: number;
  recovered: number;
}
interface SimState {
  now: number;
  speed: number;
  health: { status?: string } & Record<string, unknown>;
  tick_error: string | null;
  nodes: SimNodeState[];
  relocations: SimRelocation[];
}

export interface ClusterSummary {
  now: number;
  speed: number;
  health: string;
  tickError: string | null;
  nodes: Array<{
    name: string;
    ip: string;
    zone: string;
    alive: boolean;
    shards: number;
    bytes: number;
    diskTotal: number;
    incoming: number;
    outgoing: number;
  }>;
  relocationCount: number;
  /** The first few relocations in flight, enough to see where shards are going. */
  relocations: Array<{ shard: string; from: string; to: string; percent: number }>;
}

const SHOWN_RELOCATIONS = 6;

export class ClusterView {
  private readonly base: string;

  constructor(simulatorUrl: string) {
    this.base = simulatorUrl.replace(/\/+$/, '');
  }

  async summary(): Promise<ClusterSummary> {
    const res = await fetch(`${this.base}/_sim/state`);
    if (!res.ok) throw new Error(`the simulator answered ${res.status} to GET /_sim/state`);
    const s = (await res.json()) as SimState;
    return {
      now: s.now,
      speed: s.speed,
      health: String(s.health.status ?? 'unknown'),
      tickError: s.tick_error,
      nodes: s.nodes.map((n) => ({
        name: n.name,
        ip: n.ip,
        zone: n.zone ?? '',
        alive: n.alive,
        shards: n.shards,
        bytes: n.bytes,
        diskTotal: n.disk_total,
        incoming: n.incoming,
        outgoing: n.outgoing,
      })),
      relocationCount: s.relocations.length,
      relocations: s.relocations.slice(0, SHOWN_RELOCATIONS).map((r) => ({
        shard: `${r.index}[${r.shard}]${r.primary ? ' p' : ' r'}`,
        from: r.from ?? '?',
        to: r.to ?? '?',
        percent: r.bytes > 0 ? Math.floor((100 * r.recovered) / r.bytes) : 100,
      })),
    };
  }

  /** Simulated milliseconds per real millisecond; the simulator refuses anything but a number >= 0. */
  async setSpeed(factor: number): Promise<number> {
    const res = await fetch(`${this.base}/_sim/speed`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ factor }),
    });
    const body = (await res.json().catch(() => ({}))) as { speed?: number; error?: { reason?: string } };
    if (!res.ok) throw new Error(body.error?.reason ?? `the simulator answered ${res.status} to PUT /_sim/speed`);
    return body.speed ?? factor;
  }
}
