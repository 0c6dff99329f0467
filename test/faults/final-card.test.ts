import { describe, expect, test } from 'vitest';
import { workersClosedAfterEach } from '../support/crash-boundary.js';
import { alice, bob, startDrainHarness } from '../support/drain-fixture.js';
import { eventually } from '../support/wait.js';
import { CRASH_TIMING, exited, startWorkerProcess } from '../support/worker-process.js';

/**
 * The last render of a card lives in the memory of the process that ended the run until Slack
 * takes it. Killed with it, that process left the card saying "Running" on a finished run, for
 * good. The run's job now ends only once the card shows the end, so the next worker draws it.
 */
describe("a worker killed with a run's final card unsent", () => {
  const { use, children } = workersClosedAfterEach();

  test('the next worker draws the end on the card', async () => {
    const prefix = `final-card-${Date.now()}`;
    const h = use(await startDrainHarness({ worker: false, prefix, speed: 50, ...CRASH_TIMING }));
    // Dies the moment the run's end is recorded (its audit entry comes before the card's update).
    const first = await startWorkerProcess(h, prefix, { OPSBOT_TEST_CRASH_ON: 'succeeded' });
    children.push(first);
    await h.driver.command('/es', 'drain node-3', alice);
    const card = await h.cardWithButton('run_approve');
    await h.click('run_approve', bob, card);
    // From the approval on, Slack takes no card update: the end cannot reach the card before the crash.
    await eventually(() => !h.view.hasButton(h.view.card(card.ts)!, 'run_approve'), 'the approval on the card');
    h.stack.slack.failNext('chat.update', { status: 500 }, 100_000);
    await exited(first);
    expect(h.cardText(h.view.card(card.ts)!)).not.toContain('Done in');
    h.stack.slack.clearFaults();
    children.push(await startWorkerProcess(h, prefix));
    await eventually(
      () => h.cardText(h.view.card(card.ts)!).includes('Done in'),
      'the card to show the end, drawn by the next worker',
      30_000,
    );
    expect(h.stack.slack.messages('C0OPS')).toHaveLength(1);
  }, 60_000);
});
