import type { Logger } from '../log.js';
import type { Begin, CardVersions } from './card-versions.js';

export interface CardUpdaterOptions {
  /** Least time between two updates of one message ("every few seconds"). */
  perMessageMs: number;
  /**
   * Least time between any two updates from this process: chat.update is Tier 3 (about 50 a
   * minute per workspace), so many live cards share that budget instead of each taking it.
   * With `versions`, the workspace's budget in Redis is what counts across processes.
   */
  globalGapMs: number;
  /** First wait after a failed update; doubled each failure up to maxBackoffMs. */
  backoffMs?: number;
  maxBackoffMs?: number;
}

interface Slot {
  key: string;
  render: () => Promise<void>;
  /** The run revision the render shows (its card version's first part). */
  revision: number;
  /** A render is waiting to go out. */
  dirty: boolean;
  lastSent: number;
  failures: number;
  timer?: NodeJS.Timeout;
  pump?: Promise<void>;
  /** Urgent pushes waiting for the next attempt to end (sent, stale or failed). */
  waiters: (() => void)[];
  /** Slack refused the last render for good (the message deleted...): nothing more to show there. */
  gone?: boolean;
}

/**
 * Web API errors that no retry can cure: the card's message or channel is gone, the bot is not
 * in it any more, or Slack refuses this card as it is. Retried, they held the card's later
 * updates in an ever longer backoff, and with them every run waiting for its card.
 */
const PERMANENT = new Set([
  'message_not_found',
  'cant_update_message',
  'edit_window_closed',
  'channel_not_found',
  'not_in_channel',
  'is_archived',
  'msg_too_long',
  'invalid_blocks',
  'invalid_blocks_format',
  'too_many_attachments',
]);

/** The Web API's error code of a failed call (`An API error occurred: message_not_found`). */
function slackError(err: unknown): string | undefined {
  const data = (err as { data?: { error?: unknown } } | undefined)?.data;
  return typeof data?.error === 'string' ? data.error : undefined;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms).unref?.());

/**
 * Coalesces live-card updates: the latest state of a message wins, older ones are dropped, and
 * no message is updated more often than the limits allow. Transitions (`urgent`) go out at once,
 * their caller waiting for the attempt, but never for the workspace's budget or another process.
 * One send per message at a time: while it fails (Slack away), pushes only replace what waits,
 * and when Slack is back the latest goes out once. With `versions` (Redis), the same holds across
 * processes: a card's older render never overwrites a newer one, and the workspace's chat.update
 * budget is shared.
 */
export class CardUpdater {
  private readonly slots = new Map<string, Slot>();
  private nextGlobal = 0;
  private closed = false;

  constructor(
    private readonly opts: CardUpdaterOptions,
    private readonly log: Logger,
    private readonly now: () => number = Date.now,
    private readonly versions?: CardVersions,
  ) {}

  /**
   * Schedules `render` (which sends the update) for message `key`; it replaces any pending one.
   * `revision`: the run's revision the render shows (run.updatedAt), so that no process sends it
   * after a render of a later revision.
   */
  push(key: string, render: () => Promise<void>, urgent = false, revision = 0): Promise<void> {
    if (this.closed) return Promise.resolve();
    const slot = this.slots.get(key) ?? { key, render, revision, dirty: false, lastSent: 0, failures: 0, waiters: [] };
    slot.render = render;
    slot.revision = revision;
    slot.dirty = true;
    this.slots.set(key, slot);
    if (urgent) {
      // The caller waits for one attempt, not for an outage to end: the retries go on behind it.
      // While this card's updates fail, its next attempt comes after a backoff: nobody waits for that.
      if (slot.failures > 0) {
        void this.start(slot);
        return Promise.resolve();
      }
      const attempted = new Promise<void>((resolve) => slot.waiters.push(resolve));
      void this.start(slot);
      return attempted;
    }
    if (slot.timer || slot.pump) return Promise.resolve();
    const at = Math.max(slot.lastSent + this.opts.perMessageMs, this.nextGlobal, this.now());
    this.nextGlobal = at + this.opts.globalGapMs;
    slot.timer = setTimeout(() => {
      slot.timer = undefined;
      void this.start(slot);
    }, at - this.now());
    slot.timer.unref?.();
    return Promise.resolve();
  }

  /** Starts the message's one sender, or lets the running one pick the new render up. */
  private start(slot: Slot): Promise<void> {
    if (slot.timer) {
      clearTimeout(slot.timer);
      slot.timer = undefined;
    }
    slot.pump ??= this.pump(slot).finally(() => {
      slot.pump = undefined;
    });
    return slot.pump;
  }

  private async pump(slot: Slot): Promise<void> {
    while (slot.dirty) {
      if (this.closed && slot.failures > 0) break;
      slot.dirty = false;
      const { render, revision } = slot;
      const sent = await this.sendOnce(slot, render, revision);
      if (sent !== 'busy') for (const done of slot.waiters.splice(0)) done();
      if (sent === 'busy') {
        // Another process sends this card now: ask again when it is likely done. Whoever waits
        // for this attempt goes on (a lock lapses only after lockMs, as after a killed process).
        for (const done of slot.waiters.splice(0)) done();
        slot.dirty = true;
        await sleep(100);
      } else if (sent === 'gone') {
        // Slack will never take this update (the message was deleted, the channel archived, the
        // card refused): no retry. A later push tries again with its own render.
        slot.failures = 0;
        slot.gone = true;
      } else if (sent === 'failed') {
        if (this.closed) return;
        // Try again with whatever is newest then: the pushes made meanwhile collapse into it.
        slot.dirty = true;
        const base = this.opts.backoffMs ?? 1_000;
        await sleep(Math.min(this.opts.maxBackoffMs ?? 30_000, base * 2 ** (slot.failures - 1)));
      }
    }
  }

  private async sendOnce(slot: Slot, render: () => Promise<void>, revision: number) {
    let begun: Begin | undefined;
    for (;;) {
      begun = this.versions ? await this.begin(slot.key, revision) : undefined;
      if (begun && !begun.go) return begun.busy ? ('busy' as const) : ('stale' as const);
      const wait = begun ? await this.versions!.take().catch(() => 0) : 0;
      if (wait <= 0) break;
      // The workspace's budget is spent: the card's lock is given back meanwhile (it covers one
      // request, not a wait), whoever waits for this attempt (a run, between two steps) goes on,
      // and the newest render is asked for again when the budget has room.
      await begun?.release(false).catch(() => undefined);
      for (const done of slot.waiters.splice(0)) done();
      await sleep(wait);
    }
    try {
      slot.lastSent = this.now();
      await render();
      slot.failures = 0;
      slot.gone = false;
      await begun?.release(true);
      return 'sent' as const;
    } catch (err) {
      await begun?.release(false).catch(() => undefined);
      const code = slackError(err);
      if (code && PERMANENT.has(code)) {
        this.log.warn(
          { err: code, card: slot.key },
          'card update refused by Slack for good (message deleted, channel archived or card refused); not retried',
        );
        return 'gone' as const;
      }
      slot.failures++;
      this.log.warn(
        { err: (err as Error).message, card: slot.key, failures: slot.failures },
        'card update failed; the latest state goes out once Slack answers again',
      );
      return 'failed' as const;
    }
  }

  private async begin(key: string, revision: number) {
    try {
      return await this.versions!.begin(key, await this.versions!.stamp(key, revision));
    } catch (err) {
      // Redis away: better a card updated out of order for a moment than a card not updated.
      this.log.warn({ err: (err as Error).message, card: key }, 'card version unreadable; updating without it');
      return undefined;
    }
  }

  /**
   * True once nothing of the message waits or is being sent in this process (or at once, when
   * this process never had it); false if that did not come within `timeoutMs`.
   */
  async idle(key: string, timeoutMs: number): Promise<boolean> {
    const until = this.now() + timeoutMs;
    for (;;) {
      const slot = this.slots.get(key);
      if (!slot || (!slot.timer && !slot.dirty && !slot.pump)) return true;
      if (this.closed || this.now() >= until) return false;
      await sleep(Math.min(100, Math.max(1, until - this.now())));
    }
  }

  /**
   * Whether the message shows `revision` of its run or a later one, as any process sent it (the
   * card versions in Redis). Without versions, or for a message Slack refused for good, what this
   * process could do is done.
   */
  async shows(key: string, revision: number): Promise<boolean> {
    if (!this.versions || this.slots.get(key)?.gone) return true;
    return (await this.versions.sentRevision(key)) >= Math.floor(revision);
  }

  /** Sends every pending update now (shutdown, final messages). */
  async flush(): Promise<void> {
    await Promise.all([...this.slots.values()].filter((s) => s.timer || s.dirty).map((s) => this.start(s)));
    await Promise.all([...this.slots.values()].map((s) => s.pump ?? Promise.resolve()));
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.flush();
    for (const s of this.slots.values()) for (const done of s.waiters.splice(0)) done();
  }

  /** Forget a finished run's message. */
  forget(key: string): void {
    const slot = this.slots.get(key);
    if (slot?.timer) clearTimeout(slot.timer);
    this.slots.delete(key);
  }
}
