import type { Redis } from 'ioredis';
import { chainLine, GENESIS, type ChainState } from './audit-chain.js';
import type { AuditSink } from './audit-sink.js';

/** One line of the audit trail. `detail` is whatever else the event carried. */
export interface AuditEntry {
  /** Stream entry id (time-ordered), set when read back. */
  id?: string;
  at: number;
  run: string;
  runbook: string;
  type: string;
  user?: string;
  step?: string;
  detail: Record<string, unknown>;
}

export type AuditInput = Omit<AuditEntry, 'id' | 'at' | 'detail'> & { at?: number; detail?: Record<string, unknown> };

const PAGE = 200;
/** Entries shipped to the sink a batch. */
const SHIP_BATCH = 500;
/** How long one process may hold the right to ship (a crashed shipper frees it after this). */
const SHIP_LEASE_MS = 30_000;

export interface AuditSinkOptions {
  sink: AuditSink;
  /**
   * How long entries stay in the Redis stream (for `/ops audit`) once they reached the sink;
   * older shipped entries are trimmed. Unshipped entries are never trimmed.
   */
  keepInRedisMs: number;
}

/**
 * Append-only Redis stream `${prefix}:audit` (XADD): who asked, who approved or refused, what ran
 * and how it ended. It outlives the runs' own records by design. With a sink, every entry is also
 * copied there, hash-chained (audit-chain.ts), in stream order, by whichever process holds the
 * shipping lease; the stream is trimmed only up to what the sink holds.
 */
export class AuditLog {
  readonly key: string;
  private readonly shippedKey: string;
  private readonly leaseKey: string;

  constructor(
    private readonly redis: Redis,
    prefix: string,
    private readonly now: () => number,
    private readonly sink?: AuditSinkOptions,
  ) {
    this.key = `${prefix}:audit`;
    this.shippedKey = `${prefix}:audit:shipped`;
    this.leaseKey = `${prefix}:audit:ship-lease`;
  }

  async append(entry: AuditInput): Promise<string> {
    const fields = [
      'at',
      String(entry.at ?? this.now()),
      'run',
      entry.run,
      'runbook',
      entry.runbook,
      'type',
      entry.type,
      ...(entry.user !== undefined ? ['user', entry.user] : []),
      ...(entry.step !== undefined ? ['step', entry.step] : []),
      'detail',
      JSON.stringify(entry.detail ?? {}),
    ];
    const id = (await this.redis.xadd(this.key, '*', ...fields)) as string;
    // Copied to the sink before the append counts as done; a sink that fails leaves the entry in
    // Redis (never trimmed) for the next ship.
    if (this.sink) await this.ship().catch(() => undefined);
    return id;
  }

  /**
   * Copies every entry not yet in the sink there, oldest first, chained to the last line shipped
   * (its hash and the last stream id are kept in Redis), then trims the stream's shipped entries
   * older than keepInRedisMs. One process ships at a time (a lease); another process's call
   * returns at once, its entries go with the holder's next batch or the next append. Returns how
   * many entries were shipped by this call.
   */
  async ship(): Promise<number> {
    if (!this.sink) return 0;
    const token = `${process.pid}-${Math.random().toString(36).slice(2)}`;
    if ((await this.redis.set(this.leaseKey, token, 'PX', SHIP_LEASE_MS, 'NX')) !== 'OK') return 0;
    let shipped = 0;
    try {
      for (;;) {
        const saved = await this.redis.hgetall(this.shippedKey);
        let state: ChainState = { seq: Number(saved.seq ?? 0), hash: saved.hash ?? GENESIS };
        const from = saved.id ? `(${saved.id}` : '-';
        const rows = await this.redis.xrange(this.key, from, '+', 'COUNT', SHIP_BATCH);
        if (!rows.length) break;
        const lines: string[] = [];
        for (const [id, fields] of rows) {
          const e = parse(id, fields);
          const chained = chainLine(state, { ...e, at: new Date(e.at).toISOString() });
          lines.push(chained.line);
          state = chained.state;
        }
        await this.sink.sink.append(lines);
        const lastId = rows[rows.length - 1]![0];
        await this.redis.hset(this.shippedKey, { id: lastId, seq: String(state.seq), hash: state.hash });
        shipped += rows.length;
        await this.redis.pexpire(this.leaseKey, SHIP_LEASE_MS);
        if (rows.length < SHIP_BATCH) break;
      }
      await this.trimShipped();
    } finally {
      // Released only if still ours (a lease that expired mid-ship may be another's now).
      if ((await this.redis.get(this.leaseKey)) === token) await this.redis.del(this.leaseKey);
    }
    return shipped;
  }

  /** Where the sink stands: the last stream id and chain position copied there. */
  async shippedUpTo(): Promise<{ id?: string; seq: number }> {
    const saved = await this.redis.hgetall(this.shippedKey);
    return { ...(saved.id ? { id: saved.id } : {}), seq: Number(saved.seq ?? 0) };
  }

  /** Trims entries that are both in the sink and older than keepInRedisMs (XTRIM MINID). */
  private async trimShipped(): Promise<void> {
    const shippedId = (await this.redis.hget(this.shippedKey, 'id')) ?? undefined;
    if (!shippedId || !this.sink) return;
    const oldEnough = `${Math.max(0, this.now() - this.sink.keepInRedisMs)}-0`;
    // MINID keeps ids >= the bound: the last shipped entry itself is kept, so the bound is never past it.
    const bound = compareIds(oldEnough, shippedId) < 0 ? oldEnough : shippedId;
    await this.redis.xtrim(this.key, 'MINID', bound);
  }

  /**
   * The latest `count` entries (of one run when `runId` is given), oldest first. Reads backwards
   * in pages, so filtering by run costs only as much of the stream as it needs.
   */
  async read(opts: { count?: number; runId?: string } = {}): Promise<AuditEntry[]> {
    const count = opts.count ?? 100;
    const out: AuditEntry[] = [];
    let end = '+';
    while (out.length < count) {
      const rows = await this.redis.xrevrange(this.key, end, '-', 'COUNT', PAGE);
      for (const [id, fields] of rows) {
        const entry = parse(id, fields);
        if (!opts.runId || entry.run === opts.runId) out.push(entry);
        if (out.length >= count) break;
      }
      const last = rows[rows.length - 1];
      if (rows.length < PAGE || !last) break;
      end = `(${last[0]}`; // exclusive: continue just before the oldest entry seen
    }
    return out.reverse();
  }
}

/** Stream ids ("ms-seq") in order. */
function compareIds(a: string, b: string): number {
  const [am, as] = a.split('-').map(Number) as [number, number];
  const [bm, bs] = b.split('-').map(Number) as [number, number];
  return am - bm || as - bs;
}

function parse(id: string, fields: string[]): AuditEntry {
  const f: Record<string, string> = {};
  for (let i = 0; i + 1 < fields.length; i += 2) f[fields[i] as string] = fields[i + 1] as string;
  return {
    id,
    at: Number(f.at),
    run: f.run ?? '',
    runbook: f.runbook ?? '',
    type: f.type ?? '',
    ...(f.user !== undefined ? { user: f.user } : {}),
    ...(f.step !== undefined ? { step: f.step } : {}),
    detail: f.detail ? (JSON.parse(f.detail) as Record<string, unknown>) : {},
  };
}
