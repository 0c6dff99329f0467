import { nextWaitWord, remindersDue } from './pause-watch.js';
import { cancelPending, hasEnded } from './transitions.js';
import type { PendingApproval, Run, UndoOffer } from './types.js';
import { AGAIN, type Next, type WorkerDeps } from './worker-context.js';

/**
 * Reminders of what waits for a person and expires (I5 for approvals and Revert offers): a
 * pending approval and an open Revert offer are said again in the run's thread at the growing
 * intervals of a pause (EngineOptions.pause: 15 min, doubling, at most 4 h apart) until they are
 * answered or expire. The job sleeps between two words (no worker slot); an answer wakes it.
 */

/** A pending approval not yet expired: the next reminder when due, else sleep until then. */
export async function approvalReminder(deps: WorkerDeps, run: Run, rev: number, now: number): Promise<Next> {
  const pending = run.pendingApproval!;
  const due = nextWaitWord(
    { since: pending.requestedAt, reminded: pending.reminded, expiresAt: pending.expiresAt },
    deps.pause,
  );
  if (now < due || due >= pending.expiresAt) return { kind: 'delay', at: due, rev };
  const res = await deps.store.update(run.id, (d) => {
    const p = d.pendingApproval;
    if (hasEnded(d) || cancelPending(d) || !p || p.step !== pending.step || !sameWait(p, pending)) return false;
    p.reminded = remindersDue(p.requestedAt, p.reminded ?? 0, now, deps.pause);
    return true;
  });
  if (res?.value)
    await deps.events.emit(res.run, {
      type: 'approval_reminder',
      step: pending.step,
      waitedMs: now - pending.requestedAt,
      expiresAt: pending.expiresAt,
    });
  return AGAIN;
}

/** An open Revert offer not yet expired: the next reminder when due, else sleep until then. */
export async function undoOfferReminder(deps: WorkerDeps, run: Run, rev: number, now: number): Promise<Next> {
  const offer = run.undoOffer!;
  // Offers opened before reminders existed count from their expiry back.
  const since = offer.offeredAt ?? offer.expiresAt - deps.undoOfferTtlMs;
  const due = nextWaitWord({ since, reminded: offer.reminded, expiresAt: offer.expiresAt }, deps.pause);
  if (now < due || due >= offer.expiresAt) return { kind: 'delay', at: due, rev };
  const res = await deps.store.update(run.id, (d) => {
    const o = d.undoOffer;
    if (!o || o.decided || !sameWait(o, offer)) return false;
    o.reminded = remindersDue(since, o.reminded ?? 0, now, deps.pause);
    return true;
  });
  if (res?.value)
    await deps.events.emit(res.run, { type: 'undo_offer_reminder', waitedMs: now - since, expiresAt: offer.expiresAt });
  return AGAIN;
}

function sameWait(a: PendingApproval | UndoOffer, b: PendingApproval | UndoOffer): boolean {
  return a.expiresAt === b.expiresAt && (a.reminded ?? 0) === (b.reminded ?? 0);
}
