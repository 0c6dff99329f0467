import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Run, RunStatus } from './types.js';
import { HOLDER_LIVE_LUA } from './run-locks.js';

/**
 * Runs live in Redis, the source of truth: a hash `{ doc: JSON, rev }` per run. Every change is a
 * compare-and-set on `rev` (a Lua script, so it is atomic on one shared connection, unlike
 * WATCH/MULTI), retried on conflict. That is what makes double clicks, repeated Slack deliveries
 * and a worker writing at the same moment as a human all count exactly once.
 */

/**
 * Creates the run, its index entries, (optionally) its idempotency key and (optionally) its lock
 * in one step: a lock never names a run that is not saved, and a run is never saved believing it
 * holds a lock another run holds. Returns the run's id, the earlier run's id (idempotency key
 * used), or {'locked', holder}.
 */
const CREATE = `${HOLDER_LIVE_LUA}
if ARGV[5] == '1' then
  local existing = redis.call('GET', KEYS[3])
  if existing then return existing end
end
if ARGV[6] == '1' then
  local holder = redis.call('GET', KEYS[5])
  if holder and holder ~= ARGV[2] and holder_live(ARGV[7], holder, tonumber(ARGV[8])) then
    return { 'locked', holder }
  end
  redis.call('SET', KEYS[5], ARGV[2])
end
if ARGV[5] == '1' then redis.call('SET', KEYS[3], ARGV[2], 'PX', ARGV[4]) end
redis.call('HSET', KEYS[1], 'doc', ARGV[1], 'rev', 1)
redis.call('ZADD', KEYS[2], ARGV[3], ARGV[2])
redis.call('SADD', KEYS[4], ARGV[2])
return ARGV[2]`;

/** Writes the new doc only if nobody wrote since we read `rev`; returns the new rev or 0. */
const COMPARE_AND_SET = `
local rev = redis.call('HGET', KEYS[1], 'rev')
if rev ~= ARGV[1] then return 0 end
local next = tonumber(rev) + 1
redis.call('HSET', KEYS[1], 'doc', ARGV[2], 'rev', next)
return next`;

const MAX_CONFLICTS = 100;
/** Slack retries a command within seconds; a day covers any retry and any impatient re-click. */
const IDEMPOTENCY_TTL_MS = 24 * 3600_000;

export interface Snapshot {
  run: Run;
  rev: number;
}
export interface UpdateResult<T> {
  run: Run;
  rev: number;
  value: T;
  changed: boolean;
}

/** Short, URL- and BullMQ-safe (no ':', never all digits) run ids. */
export function newRunId(): string {
  return `r-${randomBytes(6).toString('hex')}`;
}

export class RunStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly now: () => number,
  ) {}

  private runKey(id: string): string {
    return `${this.prefix}:run:${id}`;
  }
  private onceKey(id: string): string {
    return `${this.prefix}:run:${id}:once`;
  }
  private get indexKey(): string {
    return `${this.prefix}:runs`;
  }
  /** Runs not yet settled: what a starting worker checks for lost jobs. */
  private get activeKey(): string {
    return `${this.prefix}:runs:active`;
  }

  /**
   * Stores a new run; with an idempotency key already used, returns the id of the earlier run
   * instead. With `lockKey` (RunLocks.key), takes that lock in the same step, unless a live run
   * holds it: then nothing is stored and `lockedBy` names the holder.
   */
  async create(
    run: Run,
    idempotencyKey?: string,
    lockKey?: string,
  ): Promise<{ id: string; created: boolean; lockedBy?: string }> {
    const idemKey = `${this.prefix}:idem:${idempotencyKey ?? ''}`;
    const res = (await this.redis.eval(
      CREATE,
      5,
      this.runKey(run.id),
      this.indexKey,
      idemKey,
      this.activeKey,
      lockKey ?? `${this.prefix}:lock:`,
      JSON.stringify(run),
      run.id,
      run.createdAt,
      IDEMPOTENCY_TTL_MS,
      idempotencyKey ? '1' : '0',
      lockKey ? '1' : '0',
      this.prefix,
      this.now(),
    )) as string | [string, string];
    if (Array.isArray(res)) return { id: run.id, created: false, lockedBy: res[1] };
    return { id: res, created: res === run.id };
  }

  async get(id: string): Promise<Snapshot | undefined> {
    const [doc, rev] = await this.redis.hmget(this.runKey(id), 'doc', 'rev');
    if (!doc || !rev) return undefined;
    return { run: JSON.parse(doc) as Run, rev: Number(rev) };
  }

  async rev(id: string): Promise<number | undefined> {
    const rev = await this.redis.hget(this.runKey(id), 'rev');
    return rev ? Number(rev) : undefined;
  }

  /**
   * Applies `mutate` to a fresh copy of the run and saves it if it changed, retrying from a fresh
   * read when someone else wrote in between. `mutate` must therefore be a pure function of the run
   * (no side effects: it may be called several times); side effects go after the update.
   */
  async update<T>(id: string, mutate: (draft: Run) => T): Promise<UpdateResult<T> | undefined> {
    for (let i = 0; i < MAX_CONFLICTS; i++) {
      const snap = await this.get(id);
      if (!snap) return undefined;
      const before = JSON.stringify(snap.run);
      const draft = JSON.parse(before) as Run;
      const value = mutate(draft);
      if (JSON.stringify(draft) === before) return { run: draft, rev: snap.rev, value, changed: false };
      draft.updatedAt = this.now();
      const rev = Number(
        await this.redis.eval(COMPARE_AND_SET, 1, this.runKey(id), String(snap.rev), JSON.stringify(draft)),
      );
      if (rev > 0) return { run: draft, rev, value, changed: true };
    }
    throw new Error(`run ${id}: ${MAX_CONFLICTS} write conflicts in a row; is something rewriting it in a loop?`);
  }

  async activeIds(): Promise<string[]> {
    return this.redis.smembers(this.activeKey);
  }

  async markSettled(id: string): Promise<void> {
    await this.redis.srem(this.activeKey, id);
  }

  /** The run an idempotency key already created, if any. */
  async idempotent(key: string): Promise<string | undefined> {
    return (await this.redis.get(`${this.prefix}:idem:${key}`)) ?? undefined;
  }

  /** True the first time `key` is seen for this run: dedupes notes across retries and restarts. */
  async markOnce(id: string, key: string): Promise<boolean> {
    return (await this.redis.sadd(this.onceKey(id), key)) === 1;
  }

  /** Newest first. Walks the index in pages so a status filter still returns `limit` runs. */
  async list(opts: { limit: number; statuses?: RunStatus[] }): Promise<Run[]> {
    const wanted = opts.statuses ? new Set(opts.statuses) : undefined;
    const out: Run[] = [];
    const page = Math.max(opts.limit, 50);
    for (let start = 0; out.length < opts.limit; start += page) {
      const ids = await this.redis.zrevrange(this.indexKey, start, start + page - 1);
      if (ids.length === 0) break;
      const pipe = this.redis.pipeline();
      for (const id of ids) pipe.hget(this.runKey(id), 'doc');
      const docs = (await pipe.exec()) ?? [];
      for (const [, doc] of docs) {
        if (typeof doc !== 'string') continue;
        const run = JSON.parse(doc) as Run;
        if (!wanted || wanted.has(run.status)) out.push(run);
        if (out.length >= opts.limit) break;
      }
    }
    return out;
  }
}
