import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';

/**
 * Card versions and the chat.update budget in Redis, shared by every process that updates cards.
 * A card's version is its run's revision (updatedAt) then a counter: a render of an older run
 * state never lands after a newer one, whichever process sent which.
 */

/** Lua: a > b for two versions "revision:counter". */
const NEWER = `
local function newer(a, b)
  if not b then return true end
  local ar, as = string.match(a, '^(%d+):(%d+)$')
  local br, bs = string.match(b, '^(%d+):(%d+)$')
  ar, as, br, bs = tonumber(ar), tonumber(as), tonumber(br), tonumber(bs)
  return ar > br or (ar == br and as > bs)
end`;

/** A new version of the card (revision ARGV[1], next counter), remembered as the newest wanted. */
const STAMP = `${NEWER}
local seq = redis.call('INCR', KEYS[1])
redis.call('PEXPIRE', KEYS[1], ARGV[2])
local v = ARGV[1] .. ':' .. seq
if newer(v, redis.call('GET', KEYS[2])) then redis.call('SET', KEYS[2], v, 'PX', ARGV[3]) end
return v`;

/**
 * 1: send (the lock is taken); 0: stale (a newer version was sent, or another process holds a
 * newer render it is about to send); -1: busy (another process sends this card now).
 */
const BEGIN = `${NEWER}
if not newer(ARGV[1], redis.call('GET', KEYS[1])) then return 0 end
local wanted = redis.call('GET', KEYS[3])
if wanted and newer(wanted, ARGV[1]) then return 0 end
if redis.call('SET', KEYS[2], ARGV[2], 'NX', 'PX', ARGV[3]) then return 1 end
return -1`;

/** Records the version sent (never backwards) and releases the lock if it is still ours. */
const END = `${NEWER}
if ARGV[3] == '1' and newer(ARGV[1], redis.call('GET', KEYS[1])) then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[4])
end
if redis.call('GET', KEYS[2]) == ARGV[2] then redis.call('DEL', KEYS[2]) end
return 1`;

/**
 * A token bucket: ARGV capacity, refill per second, now (ms). Takes one token and returns 0, or
 * returns the milliseconds until one is there (nothing taken).
 */
const TAKE = `
local cap, rate, now = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local b = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens, at = tonumber(b[1]) or cap, tonumber(b[2]) or now
tokens = math.min(cap, tokens + math.max(0, now - at) * rate / 1000)
local wait = 0
if tokens >= 1 then tokens = tokens - 1 else wait = math.ceil((1 - tokens) * 1000 / rate) end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(now))
redis.call('PEXPIRE', KEYS[1], math.ceil(cap * 1000 / rate) + 60000)
return wait`;

export interface BudgetOptions {
  /** Updates that may go out at once after a quiet spell. */
  burst: number;
  /** Updates a minute, sustained, for the whole workspace (Slack's Tier 3 is about 50); 0: no limit. */
  perMinute: number;
}

/**
 * How long one chat.update of a card may take (the card client's request timeout). A card's lock
 * covers one request: a process killed while sending holds it no longer than its request could
 * still land, and the next process redraws the card then.
 */
export const CARD_UPDATE_TIMEOUT_MS = 5_000;

export type Begin = { go: true; release: (sent: boolean) => Promise<void> } | { go: false; busy: boolean };

export class CardVersions {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly budget: BudgetOptions,
    /** How long a version stays remembered after its last update (a day: longer than any burst of late renders). */
    private readonly keepMs = 24 * 3600_000,
    private readonly lockMs = CARD_UPDATE_TIMEOUT_MS + 2_000,
  ) {}

  private keys(card: string) {
    const k = `${this.prefix}:card:${card}`;
    return { seq: `${k}:seq`, sent: `${k}:sent`, lock: `${k}:lock`, wanted: `${k}:wanted` };
  }

  /**
   * The version of a render of the card now: the run's revision, then a counter shared by all
   * processes. It is the card's newest wanted version for a lock's time: an older render held by
   * another process is not sent meanwhile (after an outage, only the newest goes out).
   */
  async stamp(card: string, revision: number): Promise<string> {
    const k = this.keys(card);
    const rev = String(Math.max(0, Math.floor(revision)));
    return String(await this.redis.eval(STAMP, 2, k.seq, k.wanted, rev, this.keepMs, this.lockMs));
  }

  /** Asks to send `version` of the card: go (with the lock), stale, or busy (another process sends it now). */
  async begin(card: string, version: string): Promise<Begin> {
    const token = randomUUID();
    const k = this.keys(card);
    const r = Number(await this.redis.eval(BEGIN, 3, k.sent, k.lock, k.wanted, version, token, this.lockMs));
    if (r === 1)
      return {
        go: true,
        release: async (sent) => {
          await this.redis.eval(END, 2, k.sent, k.lock, version, token, sent ? '1' : '0', this.keepMs);
        },
      };
    return { go: false, busy: r === -1 };
  }

  /** The run revision of the newest render of the card any process sent (-1: none). */
  async sentRevision(card: string): Promise<number> {
    const sent = await this.redis.get(this.keys(card).sent);
    const rev = sent ? Number(sent.split(':')[0]) : NaN;
    return Number.isFinite(rev) ? rev : -1;
  }

  /** One chat.update from the workspace's budget: 0, or how long to wait before asking again. */
  async take(now = Date.now()): Promise<number> {
    if (this.budget.perMinute <= 0) return 0; // no budget asked for (tests)
    const key = `${this.prefix}:slack:chat.update:budget`;
    return Number(await this.redis.eval(TAKE, 1, key, this.budget.burst, this.budget.perMinute / 60, now));
  }
}
