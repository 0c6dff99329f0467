import type { Run, RunEvent, RunReporter } from '../engine/types.js';

/**
 * Hands each run event to several reporters in order (Slack first, then metrics), so the engine
 * keeps exactly one reporter and its semantics. Every reporter sees every event even when an
 * earlier one throws; the first error is then rethrown, and the engine logs it as before.
 */
export class TeeReporter implements RunReporter {
  constructor(private readonly reporters: readonly RunReporter[]) {}

  async onEvent(run: Run, event: RunEvent): Promise<void> {
    let first: { error: unknown } | undefined;
    for (const reporter of this.reporters) {
      try {
        await reporter.onEvent(run, event);
      } catch (error) {
        first ??= { error };
      }
    }
    if (first) throw first.error;
  }
}
