import type { Redis } from 'ioredis';
import { redisScript } from './redis-script.js';
import type { RunStore } from './run-store.js';
import { OperatorError } from '../problem.js';
import { hasEnded } from './transitions.js';
import type { Run } from './types.js';

/** A run already holds the lock: the message says which run and who asked for it. */
export class RunLockedError extends OperatorError {
  constructor(
    readonly lock: string,
    readonly holder: Run,
    /** Set when the request may be queued behind the holder (see Engine.queueBehind). */
    readonly queueToken?: string,
    /** The lock is free, but `holder` was queued for it first and goes first (run-queue.ts). */
    readonly waiting = false,
  ) {
    super(
      lockedMessage(lock, holder, queueToken !== undefined),
      "Two runs that hold one lock (e.g. one cluster's allocation) never run at once.",
    );
  }
}

/**
 * A lock refusal in words. `fmt` shapes its parts for where it is shown: a chat view escapes the
 * run's summary (text from the cluster and the command) and mentions the requester; the default
 * is plain text, for logs and errors.
 */
export function lockedMessage(
  lock: string,
  holder: Run,
  queueable: boolean,
  fmt: { text(s: string): string; user(id: string): string } = { text: (s) => s, user: (id) => `<@${id}>` },
): string {
  const who = `run ${holder.id} (${fmt.text(holder.summary)}, requested by ${fmt.user(holder.requester)}`;
  const label = fmt.text(lockLabel(lock, holder));
  // A run in line for a free lock goes first (first come, first served: run-queue.ts).
  const held = holder.queued
    ? `${who}, ${fmt.text(holder.status.replace('_', ' '))}) is queued for ${label}, first in line`
    : `${label} is held by ${who}, ${fmt.text(holderState(holder))})`;
  return (
    `Not started: ${held}: ` +
    `wait for it to end or cancel it with /ops cancel ${holder.id}` +
    (queueable ? ', or queue this request behind it' : '')
  );
}

/** The lock in words: a cluster's lock is keyed by its UUID, which says little to a person. */
function lockLabel(lock: string, holder: Run): string {
  if (lock.startsWith('es-allocation:')) return holder.cluster ? `the allocation lock of ${holder.cluster}` : lock;
  return `the ${lock} lock`;
}

function holderState(run: Run): string {
  if (run.undoOffer && !run.undoOffer.decided && (run.status === 'failed' || run.status === 'cancelled'))
    return `${run.status}, its Revert still on offer: choose Revert or Keep as is on its card`;
  return run.status.replace('_', ' ');
}

/**
 * Lua: whether the run `holder` still holds its lock. It does until it has ended AND any Revert
 * it offers is decided or expired (a Revert on offer would undo changes a second run builds on,
 * so nobody else may change the thing meanwhile). A run that no longer exists holds nothing: a
 * lock is written in the same script as its run (see RunStore.create), so a lock can never name
 * a run that is not yet saved.
 */
export const HOLDER_LIVE_LUA = `
local ENDED = { succeeded = true, failed = true, denied = true, expired = true, cancelled = true, reverted = true }
local function holder_live(prefix, holder, now)
  local doc = redis.call('HGET', prefix .. ':run:' .. holder, 'doc')
  if not doc then return false end
  local run = cjson.decode(doc)
  if not ENDED[run.status] then return true end
  local offer = run.undoOffer
  return type(offer) == 'table' and offer.decided == nil and tonumber(offer.expiresAt) > now
end`;

/**
 * Lua: the line of runs queued for a lock (a sorted set beside the lock key, scored by when each
 * was asked: first come, first served). `first_waiting` is the first run in line before `self`
 * (nil when none): entries whose run has gone, ended or stopped waiting are dropped on the way.
 */
export const LOCK_LINE_LUA = `
local function first_waiting(prefix, line, self)
  for _, id in ipairs(redis.call('ZRANGE', line, 0, -1)) do
    if id == self then return nil end
    local doc = redis.call('HGET', prefix .. ':run:' .. id, 'doc')
    if doc then
      local run = cjson.decode(doc)
      if not ENDED[run.status] and type(run.queued) == 'table' then return id end
    end
    redis.call('ZREM', line, id)
  end
  return nil
end`;

/** The key of the line of runs queued for the lock at `lockKey`. */
export const lineKey = (lockKey: string): string => `${lockKey}:line`;

/**
 * Takes the lock for an existing run if free or stale; returns '' when taken, else the live
 * holder's id. With ARGV[4] = '1' the run is a queued one whose turn may have come: a run queued
 * before it goes first (its id is returned, as 'line:<id>'), and taking the lock leaves the line.
 */
const TAKE = `${HOLDER_LIVE_LUA}
${LOCK_LINE_LUA}
local holder = redis.call('GET', KEYS[1])
if holder and holder ~= ARGV[1] and holder_live(ARGV[2], holder, tonumber(ARGV[3])) then return holder end
if ARGV[4] == '1' then
  local ahead = first_waiting(ARGV[2], KEYS[2], ARGV[1])
  if ahead then return 'line:' .. ahead end
  redis.call('ZREM', KEYS[2], ARGV[1])
end
redis.call('SET', KEYS[1], ARGV[1])
return ''`;

/**
 * Named locks held by runs (e.g. "es-allocation:<cluster uuid>"): two runs that change one thing
 * never run at once. A new run takes its lock in the same Redis script that stores it
 * (RunStore.create); this class takes one for a run that already exists (a Revert, a queued run
 * whose turn came). A lock needs no explicit release: once its run has ended and offers no
 * Revert, it is stale and the next taker overwrites it.
 */
export class RunLocks {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly store: RunStore,
    private readonly now: () => number,
  ) {}

  key(name: string): string {
    return `${this.prefix}:lock:${name}`;
  }

  /**
   * Takes `name` for `runId` (already saved), or throws RunLockedError naming the live holder.
   * `inTurn`: a queued run, which takes it only when no run queued before it is still waiting
   * (the error then names that run, with `waiting` set).
   */
  async take(name: string, runId: string, opts: { inTurn?: boolean } = {}): Promise<void> {
    for (let attempt = 0; attempt < 5; attempt++) {
      const found = (await redisScript(this.redis, 2, TAKE)(
        this.key(name),
        lineKey(this.key(name)),
        runId,
        this.prefix,
        this.now(),
        opts.inTurn ? '1' : '0',
      )) as string;
      if (found === '') return;
      const waiting = found.startsWith('line:');
      const holder = (await this.store.get(waiting ? found.slice(5) : found))?.run;
      // Gone between the script and this read: look again.
      if (holder) throw new RunLockedError(name, holder, undefined, waiting);
    }
    throw new Error(`lock ${name} kept changing hands; try again`);
  }

  /** How many live runs are in line for `name` before `runId` (for the queued run's words). */
  async ahead(name: string, runId: string): Promise<number> {
    const ids = await this.redis.zrange(lineKey(this.key(name)), '0', '-1');
    const before = ids.slice(0, Math.max(0, ids.indexOf(runId)));
    const runs = await Promise.all(before.map((id) => this.store.get(id)));
    return runs.filter((s) => s?.run.queued && !hasEnded(s.run)).length;
  }
}
