import type { Redis } from 'ioredis';
import type { RunStore } from './run-store.js';
import { hasEnded } from './transitions.js';
import { OperatorError } from '../problem.js';
import type { Run } from './types.js';

/** A run already holds the lock: the message says which run and who asked for it. */
export class RunLockedError extends OperatorError {
  constructor(
    readonly lock: string,
    readonly holder: Run,
  ) {
    super(
      `Not started: ${lock} is held by run ${holder.id} (${holder.summary}, ` +
        `requested by <@${holder.requester}>, ${holder.status}): ` +
        `wait for it to end or cancel it with /ops cancel ${holder.id}`,
      "Two runs that hold one lock (e.g. one cluster's allocation) never run at once.",
    );
  }
}

/** Deletes the lock only if it still names the run we found stale (another taker may have won). */
const RELEASE_IF = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;

/**
 * Named locks held by runs (e.g. "es-allocation:prod"): two runs that change one cluster's
 * allocation never run at once. A lock is held from the run's creation until it ends; it needs no
 * explicit release, because a lock whose run has ended (or vanished) is stale and taken over.
 */
export class RunLocks {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly store: RunStore,
  ) {}

  private key(name: string): string {
    return `${this.prefix}:lock:${name}`;
  }

  async acquire(name: string, runId: string): Promise<void> {
    const key = this.key(name);
    for (let attempt = 0; attempt < 5; attempt++) {
      if ((await this.redis.set(key, runId, 'NX')) === 'OK') return;
      const holderId = await this.redis.get(key);
      if (holderId === null) continue;
      if (holderId === runId) return;
      const holder = (await this.store.get(holderId))?.run;
      if (holder && !hasEnded(holder)) throw new RunLockedError(name, holder);
      await this.redis.eval(RELEASE_IF, 1, key, holderId);
    }
    throw new Error(`lock ${name} kept changing hands; try again`);
  }

  /** Frees the lock early if `runId` holds it (a run that was never stored). */
  async release(name: string, runId: string): Promise<void> {
    await this.redis.eval(RELEASE_IF, 1, this.key(name), runId);
  }
}
