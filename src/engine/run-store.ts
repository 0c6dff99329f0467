import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { redisScript } from './redis-script.js';
import type { Run, RunStatus } from './types.js';
import { HOLDER_LIVE_LUA, LOCK_LINE_LUA, lineKey } from './run-locks.js';

/**
 * Runs live in Redis, the source of truth: a hash `{ doc: JSON, rev }` per run. Every change is a
 * compare-and-set on `rev` (a Lua script, so it is atomic on one shared connection, unlike
 * WATCH/MULTI), retried on conflict. That is what makes double clicks, repeated Slack deliveries
 * and a worker writing at the same moment as a human all count exactly once.
 */

/**
 * Creates the run, its index entries, (optionally) its idempotency key and (optionally) its lock
 * in one step: a lock never names a run that is not saved, and a run is never saved believing it
 * holds a lock another run holds. A free lock with runs queued for it goes to them first: the
 * request is refused naming the first in line. A queued run (ARGV[9]) joins the lock's line in
 * the same step. Returns the run's id, the earlier run's id (idempotency key used), or
 * {'locked', holder} ({'locked', 'line:<id>'} for a run in line).
 */
const CREATE = `${HOLDER_LIVE_LUA}
${LOCK_LINE_LUA}
if ARGV[5] == '1' then
  local existing = redis.call('GET', KEYS[3])
  if existing then return existing end
end
if ARGV[6] == '1' then
  local holder = redis.call('GET', KEYS[5])
  if holder and holder ~= ARGV[2] and holder_live(ARGV[7], holder, tonumber(ARGV[8])) then
    return { 'locked', holder }
  end
  local waiting = first_waiting(ARGV[7], KEYS[6], nil)
  if waiting then return { 'locked', 'line:' .. waiting } end
  redis.call('SET', KEYS[5], ARGV[2])
end
if ARGV[9] == '1' then redis.call('ZADD', KEYS[6], ARGV[3], ARGV[2]) end
redis.call('HSET', KEYS[1], 'doc', ARGV[1], 'rev', 1)
-- The idempotency key lives as long as its run (it expires with it, see COMPARE_AND_SET).
if ARGV[5] == '1' then
  redis.call('SET', KEYS[3], ARGV[2])
  redis.call('HSET', KEYS[1], 'idem', KEYS[3])
end
redis.call('ZADD', KEYS[2], ARGV[3], ARGV[2])
redis.call('SADD', KEYS[4], ARGV[2])
return ARGV[2]`;

/**
 * Writes the new doc only if nobody wrote since we read `rev`; returns the new rev, 0 on a
 * conflict, -1 when the writer's lease token (ARGV[3], '' for a person's action) is not the run's
 * current one (`fence`, see RunLease): a worker that lost the run never writes it again.
 * Retention (ARGV[4]): an ended run's keys expire that many ms from now; a live run's never do
 * (PERSIST: a revert brings an ended run back to life).
 */
const COMPARE_AND_SET = `
local rev = redis.call('HGET', KEYS[1], 'rev')
if rev ~= ARGV[1] then return 0 end
if ARGV[3] ~= '' and redis.call('HGET', KEYS[1], 'fence') ~= ARGV[3] then return -1 end
local next = tonumber(rev) + 1
redis.call('HSET', KEYS[1], 'doc', ARGV[2], 'rev', next)
for i = 1, #KEYS do
  if ARGV[4] == '' then redis.call('PERSIST', KEYS[i]) else redis.call('PEXPIRE', KEYS[i], ARGV[4]) end
end
return next`;

/** A once-set created after the run ended (a late note) expires with the run. */
const MARK_ONCE = `
local added = redis.call('SADD', KEYS[2], ARGV[1])
local ttl = redis.call('PTTL', KEYS[1])
if ttl > 0 then redis.call('PEXPIRE', KEYS[2], ttl) end
return added`;

/**
 * The run's lease (see run-lease.ts): a worker takes it with a new fencing token (the run's
 * `fence`, counted up on every take) only while nobody holds it. Returns {token} or {-1, pttl}
 * while held, {0} when the run does not exist.
 */
const TAKE_LEASE = `
if redis.call('EXISTS', KEYS[1]) == 0 then return {0, 0} end
if redis.call('EXISTS', KEYS[2]) == 1 then return {-1, redis.call('PTTL', KEYS[2])} end
local token = redis.call('HINCRBY', KEYS[1], 'fence', 1)
redis.call('SET', KEYS[2], token, 'PX', ARGV[1])
return {token, 0}`;

/** Extends the lease while its token is still the run's (it may have lapsed with nobody taking it). */
const RENEW_LEASE = `
if redis.call('HGET', KEYS[1], 'fence') ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[2], ARGV[1], 'PX', ARGV[2])
return 1`;

const RELEASE_LEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;

/** The write of a worker whose lease on the run was taken over: refused, nothing saved. */
export class LeaseLostError extends Error {
  constructor(
    readonly runId: string,
    readonly token: string,
  ) {
    super(`run ${runId}: lease ${token} is no longer the run's; another worker took it over, this write was refused`);
    this.name = 'LeaseLostError';
  }
}

export interface StoreOptions {
  /** How long an ended run's keys (the run, its once-set, its idempotency key) stay after it ended. */
  endedRunTtlMs?: number;
  /** The worker's lease token on the runs it writes (see withLease). */
  lease?: string;
}

const MAX_CONFLICTS = 100;
/** retention.endedRunDays' default: an ended run's record stays 30 days. */
export const DEFAULT_ENDED_RUN_TTL_MS = 30 * 24 * 3600_000;

export interface Snapshot {
  run: Run;
  rev: number;
  /** The Redis key of the idempotency key that created the run, if any: it expires with the run. */
  idemKey?: string;
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
    private readonly opts: StoreOptions = {},
  ) {}

  /** The same store, whose writes are accepted only while `token` is the run's lease (RunLease). */
  withLease(token: string): RunStore {
    return new RunStore(this.redis, this.prefix, this.now, { ...this.opts, lease: token });
  }

  runKey(id: string): string {
    return `${this.prefix}:run:${id}`;
  }
  leaseKey(id: string): string {
    return `${this.prefix}:run:${id}:lease`;
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
   * holds it or runs queued for it wait: then nothing is stored and `lockedBy` names the holder
   * (`inLine`: the first run in line). With `queueFor` (a lock key), the run joins that lock's line.
   */
  async create(
    run: Run,
    idempotencyKey?: string,
    lockKey?: string,
    queueFor?: string,
  ): Promise<{ id: string; created: boolean; lockedBy?: string; inLine?: boolean }> {
    const idemKey = `${this.prefix}:idem:${idempotencyKey ?? ''}`;
    const lock = lockKey ?? queueFor ?? `${this.prefix}:lock:`;
    const res = (await redisScript(this.redis, 6, CREATE)(
      this.runKey(run.id),
      this.indexKey,
      idemKey,
      this.activeKey,
      lock,
      lineKey(lock),
      JSON.stringify(run),
      run.id,
      run.createdAt,
      0, // unused: the idempotency key expires with its run
      idempotencyKey ? '1' : '0',
      lockKey ? '1' : '0',
      this.prefix,
      this.now(),
      queueFor ? '1' : '0',
    )) as string | [string, string];
    if (Array.isArray(res)) {
      const inLine = res[1].startsWith('line:');
      return { id: run.id, created: false, lockedBy: inLine ? res[1].slice(5) : res[1], ...(inLine ? { inLine } : {}) };
    }
    return { id: res, created: res === run.id };
  }

  async get(id: string): Promise<Snapshot | undefined> {
    const [doc, rev, idem] = await this.redis.hmget(this.runKey(id), 'doc', 'rev', 'idem');
    if (!doc || !rev) return undefined;
    return { run: JSON.parse(doc) as Run, rev: Number(rev), ...(idem ? { idemKey: idem } : {}) };
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
        await redisScript(this.redis, null, COMPARE_AND_SET)(
          snap.idemKey ? 3 : 2,
          this.runKey(id),
          this.onceKey(id),
          ...(snap.idemKey ? [snap.idemKey] : []),
          String(snap.rev),
          JSON.stringify(draft),
          this.opts.lease ?? '',
          this.ttlOf(draft),
        ),
      );
      if (rev === -1) throw new LeaseLostError(id, this.opts.lease ?? '');
      if (rev > 0) return { run: draft, rev, value, changed: true };
    }
    throw new Error(`run ${id}: ${MAX_CONFLICTS} write conflicts in a row; is something rewriting it in a loop?`);
  }

  /** '' while the run is live; else what is left of the retention since it ended (at least 1 s). */
  private ttlOf(run: Run): string {
    if (run.endedAt === undefined) return '';
    const ttl = this.opts.endedRunTtlMs ?? DEFAULT_ENDED_RUN_TTL_MS;
    return String(Math.max(1000, ttl - Math.max(0, this.now() - run.endedAt)));
  }

  /** Takes the run's lease for `ttlMs` with a new fencing token, unless another worker holds it. */
  async takeLease(
    id: string,
    ttlMs: number,
  ): Promise<{ kind: 'taken'; token: string } | { kind: 'held'; forMs: number } | { kind: 'missing' }> {
    const [token, pttl] = (await redisScript(this.redis, 2, TAKE_LEASE)(this.runKey(id), this.leaseKey(id), ttlMs)) as [
      number,
      number,
    ];
    if (token === 0) return { kind: 'missing' };
    if (token === -1) return { kind: 'held', forMs: Math.max(0, pttl) };
    return { kind: 'taken', token: String(token) };
  }

  /** False once `token` is not the run's lease any more (another worker took it). */
  async renewLease(id: string, token: string, ttlMs: number): Promise<boolean> {
    return (
      Number(await redisScript(this.redis, 2, RENEW_LEASE)(this.runKey(id), this.leaseKey(id), token, ttlMs)) === 1
    );
  }

  /** Whether this store's writes would still be accepted (no lease: always). One read. */
  async holdsLease(id: string): Promise<boolean> {
    if (this.opts.lease === undefined) return true;
    return (await this.redis.hget(this.runKey(id), 'fence')) === this.opts.lease;
  }

  async releaseLease(id: string, token: string): Promise<void> {
    await redisScript(this.redis, 1, RELEASE_LEASE)(this.leaseKey(id), token);
  }

  async activeIds(): Promise<string[]> {
    return this.redis.smembers(this.activeKey);
  }

  async markSettled(id: string): Promise<void> {
    await this.redis.srem(this.activeKey, id);
  }

  /** A settled run that goes on again (Retry step): back in the active set. */
  async markActive(id: string): Promise<void> {
    await this.redis.sadd(this.activeKey, id);
  }

  /** The run an idempotency key already created, if any. */
  async idempotent(key: string): Promise<string | undefined> {
    return (await this.redis.get(`${this.prefix}:idem:${key}`)) ?? undefined;
  }

  /** True the first time `key` is seen for this run: dedupes notes across retries and restarts. */
  async markOnce(id: string, key: string): Promise<boolean> {
    return Number(await redisScript(this.redis, 2, MARK_ONCE)(this.runKey(id), this.onceKey(id), key)) === 1;
  }

  /** Newest first. Walks the index in pages so a status filter still returns `limit` runs. */
  async list(opts: { limit: number; statuses?: RunStatus[] }): Promise<Run[]> {
    const wanted = opts.statuses ? new Set(opts.statuses) : undefined;
    const out: Run[] = [];
    const gone: string[] = [];
    const page = Math.max(opts.limit, 50);
    for (let start = 0; out.length < opts.limit; start += page) {
      const ids = await this.redis.zrevrange(this.indexKey, start, start + page - 1);
      if (ids.length === 0) break;
      const pipe = this.redis.pipeline();
      for (const id of ids) pipe.hget(this.runKey(id), 'doc');
      const docs = (await pipe.exec()) ?? [];
      for (const [i, [, doc]] of docs.entries()) {
        if (typeof doc !== 'string') {
          gone.push(ids[i]!);
          continue;
        }
        const run = JSON.parse(doc) as Run;
        if (!wanted || wanted.has(run.status)) out.push(run);
        if (out.length >= opts.limit) break;
      }
    }
    // Runs past their retention expired on their own; their index entries go as they are met.
    if (gone.length) await this.redis.zrem(this.indexKey, ...gone);
    return out;
  }
}
