import type { CardRef, Run, RunEvent, RunReporter } from '../engine/types.js';

/**
 * Hands each run event to several reporters in order (Slack first, then metrics), so the engine
 * keeps exactly one reporter and its semantics. Every reporter sees every event even when an
 * earlier one throws; the first error is then rethrown, and the engine logs it as before.
 */
export class TeeReporter implements RunReporter {
  constructor(private readonly reporters: readonly RunReporter[]) {}

  /** Every reporter sees the event; the card's place is the first one any of them reports. */
  async onEvent(run: Run, event: RunEvent): Promise<CardRef | undefined> {
    let first: { error: unknown } | undefined;
    let card: CardRef | undefined;
    for (const reporter of this.reporters) {
      try {
        // Called first, kept if it is the first answer: `card ??= await ...` would skip the rest.
        const posted = await reporter.onEvent(run, event);
        card ??= posted ?? undefined;
      } catch (error) {
        first ??= { error };
      }
    }
    if (first) throw first.error;
    return card;
  }

  async showsEnd(run: Run, timeoutMs: number): Promise<boolean> {
    const shown = await Promise.all(this.reporters.map((r) => r.showsEnd?.(run, timeoutMs) ?? Promise.resolve(true)));
    return shown.every(Boolean);
  }
}
