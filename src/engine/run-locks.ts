import type { Redis } from 'ioredis';
import { redisScript } from './redis-script.js';
import type { RunStore } from './run-store.js';
import { OperatorError } from '../problem.js';
import type { Run } from './types.js';

/** A run already holds the lock: the message says which run and who asked for it. */
export class RunLockedError extends OperatorError {
  constructor(
    readonly lock: string,
    readonly holder: Run,
    /** Set when the request may be queued behind the holder (see Engine.queueBehind). */
    readonly queueToken?: string,
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
  return (
    `Not started: ${fmt.text(lockLabel(lock, holder))} is held by run ${holder.id} (${fmt.text(holder.summary)}, ` +
    `requested by ${fmt.user(holder.requester)}, ${fmt.text(holderState(holder))}): ` +
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

/** Takes the lock for an existing run if free or stale; returns '' when taken, else the live holder's id. */
const TAKE = `${HOLDER_LIVE_LUA}
local holder = redis.call('GET', KEYS[1])
if holder and holder ~= ARGV[1] and holder_live(ARGV[2], holder, tonumber(ARGV[3])) then return holder end
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

  /** Takes `name` for `runId` (already saved), or throws RunLockedError naming the live holder. */
  async take(name: string, runId: string): Promise<void> {
    for (let attempt = 0; attempt < 5; attempt++) {
      const holderId = (await redisScript(this.redis, 1, TAKE)(
        this.key(name),
        runId,
        this.prefix,
        this.now(),
      )) as string;
      if (holderId === '') return;
      const holder = (await this.store.get(holderId))?.run;
      // Gone between the script and this read: look again.
      if (holder) throw new RunLockedError(name, holder);
    }
    throw new Error(`lock ${name} kept changing hands; try again`);
  }
}
