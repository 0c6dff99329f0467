import type { Logger } from '../log.js';

export interface CardUpdaterOptions {
  /** Least time between two updates of one message ("every few seconds"). */
  perMessageMs: number;
  /**
   * Least time between any two updates from this process: chat.update is Tier 3 (about 50 a
   * minute per workspace), so many live cards share that budget instead of each taking it.
   */
  globalGapMs: number;
}

interface Slot {
  key: string;
  render: () => Promise<void>;
  lastSent: number;
  timer?: NodeJS.Timeout;
  inFlight?: Promise<void>;
}

/**
 * Coalesces live-card updates: the latest state of a message wins, older ones are dropped, and
 * no message is updated more often than the limits allow. Transitions (`urgent`) go out at once.
 * A failed update is logged and retried with the next push: progress is delayed, never stuck.
 */
export class CardUpdater {
  private readonly slots = new Map<string, Slot>();
  private nextGlobal = 0;
  private closed = false;

  constructor(
    private readonly opts: CardUpdaterOptions,
    private readonly log: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  /** Schedules `render` (which sends the update) for message `key`; it replaces any pending one. */
  push(key: string, render: () => Promise<void>, urgent = false): Promise<void> {
    if (this.closed) return Promise.resolve();
    const slot = this.slots.get(key) ?? { key, render, lastSent: 0 };
    slot.render = render;
    this.slots.set(key, slot);
    if (urgent) return this.send(slot);
    if (slot.timer) return Promise.resolve();
    const at = Math.max(slot.lastSent + this.opts.perMessageMs, this.nextGlobal, this.now());
    this.nextGlobal = at + this.opts.globalGapMs;
    slot.timer = setTimeout(() => {
      slot.timer = undefined;
      void this.send(slot);
    }, at - this.now());
    slot.timer.unref?.();
    return Promise.resolve();
  }

  private async send(slot: Slot): Promise<void> {
    if (slot.timer) {
      clearTimeout(slot.timer);
      slot.timer = undefined;
    }
    // Serialise sends of one message so an older render never lands after a newer one.
    const previous = slot.inFlight ?? Promise.resolve();
    const render = slot.render;
    const sending = previous.then(async () => {
      slot.lastSent = this.now();
      try {
        await render();
      } catch (err) {
        this.log.warn(
          { err: (err as Error).message, card: slot.key },
          'card update failed; the next update carries the latest state',
        );
      }
    });
    slot.inFlight = sending;
    await sending;
  }

  /** Sends every pending update now (shutdown, final messages). */
  async flush(): Promise<void> {
    await Promise.all([...this.slots.values()].filter((s) => s.timer).map((s) => this.send(s)));
    await Promise.all([...this.slots.values()].map((s) => s.inFlight ?? Promise.resolve()));
  }

  async close(): Promise<void> {
    await this.flush();
    this.closed = true;
  }

  /** Forget a finished run's message. */
  forget(key: string): void {
    const slot = this.slots.get(key);
    if (slot?.timer) clearTimeout(slot.timer);
    this.slots.delete(key);
  }
}
