import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { OperatorError } from '../problem.js';
import type { RunEvents } from './run-events.js';
import { RunLockedError, type RunLocks } from './run-locks.js';
import type { RunStore } from './run-store.js';
import { currentRecord } from './transitions.js';
import type { Run, RunEvent } from './types.js';
import { AGAIN, type Next } from './worker-context.js';

/** How often a queued run looks whether the run it waits behind has let go of the lock. */
export const QUEUE_RECHECK_MS = 10_000;

/** How long "Queue behind run X" stays on offer after the refusal (the request as it was planned). */
export const QUEUE_OFFER_TTL_MS = 15 * 60_000;

/**
 * A request refused by its lock, kept for a while so the requester can queue it behind the
 * holder with one click: the request exactly as planned, under a random token (the button's value).
 */
export class QueueOffers {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  private key(token: string): string {
    return `${this.prefix}:queue-offer:${token}`;
  }

  async save(request: object): Promise<string> {
    const token = randomBytes(12).toString('hex');
    await this.redis.set(this.key(token), JSON.stringify(request), 'PX', QUEUE_OFFER_TTL_MS);
    return token;
  }

  async take<T>(token: string, userId: string): Promise<T> {
    const raw = /^[0-9a-f]{24}$/.test(token) ? await this.redis.get(this.key(token)) : null;
    if (!raw)
      throw new OperatorError(
        'This offer to queue has expired (it stays 15 minutes) or was already used: nothing was queued.',
        'Ask again with the same command.',
      );
    const request = JSON.parse(raw) as T & { requester: string };
    if (request.requester !== userId)
      throw new OperatorError(
        `Only <@${request.requester}>, who asked for it, can queue this request.`,
        'Ask for the change yourself if you need it.',
      );
    return request;
  }
}

/** The thread's word as a queued run is created, `ahead` runs in line before it (first come, first served). */
export function queuedNote(run: Run, ahead = 0): RunEvent {
  const line = ahead === 0 ? '' : `, ${ahead} queued run${ahead === 1 ? '' : 's'} before it in line`;
  return {
    type: 'note',
    step: run.steps[0]?.id ?? '',
    level: 'info',
    text:
      `Queued behind run ${run.queued?.behind}${line}: this run starts when ` +
      `${ahead === 0 ? 'that one lets' : 'those before it have let'} go of the lock. ` +
      'Approvals given now count; the facts are read again before it changes anything ' +
      '(and asked again if they changed).',
  };
}

export interface QueueDeps {
  store: RunStore;
  events: RunEvents;
  locks: RunLocks;
  now: () => number;
  /** How often a queued run looks whether its lock is free. */
  queueRecheckMs: number;
}

/**
 * The worker's look at a queued run (approved or not yet, nothing run): it takes the lock if the
 * run it waits behind has let go and no run queued before it still waits (first come, first
 * served: RunLocks.take inTurn), and goes on (its facts are then read again before its first
 * destructive step, so a plan the other run changed is asked again); otherwise it sleeps as a
 * delayed job, holding no worker slot, until the next look.
 */
export async function waitInQueue(deps: QueueDeps, run: Run, rev: number): Promise<Next> {
  const queued = run.queued!;
  const step = currentRecord(run)?.id ?? run.steps[0]?.id ?? '';
  const note = (r: Run, text: string) => deps.events.emit(r, { type: 'note', step, level: 'info', text });
  try {
    await deps.locks.take(queued.lock, run.id, { inTurn: true });
  } catch (err) {
    if (!(err instanceof RunLockedError)) throw err;
    if (err.holder.id === queued.behind) return { kind: 'delay', at: deps.now() + deps.queueRecheckMs, rev };
    // The lock changed hands, or a run queued before this one goes first: now behind that one.
    const moved = await deps.store.update(run.id, (d) => {
      if (!d.queued || d.queued.behind === err.holder.id) return false;
      d.queued.behind = err.holder.id;
      return true;
    });
    const why = err.waiting ? 'queued before this one, it goes first' : 'it took the lock first';
    if (moved?.value) await note(moved.run, `Queued behind run ${err.holder.id} now: ${why}.`);
    return AGAIN;
  }
  const started = await deps.store.update(run.id, (d) => {
    if (!d.queued) return undefined;
    const behind = d.queued.behind;
    d.lock = d.queued.lock;
    d.queued = undefined;
    return behind;
  });
  if (started?.value)
    await note(started.run, `Run ${started.value} has let go of the lock: this run holds it now and goes on.`);
  return AGAIN;
}
