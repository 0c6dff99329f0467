import { afterEach, describe, expect, test } from 'vitest';
import type { Run, RunEvent, RunReporter } from '../../src/engine/types.js';
import { harness, REQUESTER, sleep, type Harness } from './helpers.js';
import { eventually } from '../support/wait.js';

/**
 * A reporter Slack holds up: every event after 'created' waits until `open()` (a thread reply
 * behind a 429's Retry-After, an outage the Web API client retries through, a card budget spent).
 */
class HeldReporter implements RunReporter {
  readonly seen: { run: string; type: RunEvent['type'] }[] = [];
  private gate!: () => void;
  private readonly opened = new Promise<void>((resolve) => (this.gate = resolve));
  async onEvent(run: Run, event: RunEvent): Promise<void> {
    if (event.type !== 'created') await this.opened;
    this.seen.push({ run: run.id, type: event.type });
  }
  open(): void {
    this.gate();
  }
  types(runId: string): string[] {
    return this.seen.filter((e) => e.run === runId && e.type !== 'progress').map((e) => e.type);
  }
}

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('a run does not wait for Slack', () => {
  test('every report held: the run walks its steps; its events then come in order; shutdown sends them', async () => {
    const reporter = new HeldReporter();
    h = await harness({ reporter, reportWaitMs: 100 });
    const { run } = await h.engine.createRun({ requester: REQUESTER, channel: 'C1', runbook: 'toy.three', params: {} });
    const t0 = Date.now();
    for (;;) {
      const now = await h.engine.getRun(run.id);
      if (now?.status === 'succeeded') break;
      // Seven events after 'created', each waited for 100 ms at most: far below the 20 s they are held.
      expect(Date.now() - t0, `the run is ${now?.status} at ${now?.cursor}`).toBeLessThan(5_000);
      await sleep(50);
    }
    expect(await h.calls()).toEqual(['a', 'b', 'c']);
    expect(reporter.types(run.id)).toEqual(['created']); // all still held
    reporter.open();
    const engine = h.engine;
    await engine.close(); // waits for the outbox (RunEvents.flush)
    expect(reporter.types(run.id)).toEqual([
      'created',
      'step_started',
      'step_done',
      'step_started',
      'step_done',
      'step_started',
      'step_done',
      'succeeded',
    ]);
  });

  test('a reporter that answers is waited for: each step is in Slack before the next step starts', async () => {
    const callsWhenReported: Record<string, string[]> = {};
    const reporter: RunReporter = {
      async onEvent(_run, event) {
        await sleep(30); // Slack's usual answer time
        if (event.type === 'step_done') callsWhenReported[event.step] = await h!.calls();
      },
    };
    h = await harness({ reporter });
    const { run } = await h.engine.createRun({ requester: REQUESTER, channel: 'C1', runbook: 'toy.three', params: {} });
    await eventually(async () => (await h!.engine.getRun(run.id))?.status === 'succeeded', 'the run to succeed');
    expect(callsWhenReported).toEqual({ a: ['a'], b: ['a', 'b'], c: ['a', 'b', 'c'] });
  });
});
