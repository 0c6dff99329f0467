import { afterEach, describe, expect, test } from 'vitest';
import { harness, REQUESTER, waitForStatus, type Harness } from './helpers.js';
import { eventually } from '../support/wait.js';

/**
 * A run waiting for a person is saved before its card is updated; a worker killed in between
 * left a card without its Done / Approve button (seen: the maintenance crash test timing out
 * waiting for "Done"). The next worker to start draws the cards of such runs again.
 */
describe('a card a dead worker did not update is drawn again', () => {
  const open: Harness[] = [];
  afterEach(async () => {
    for (const h of open.splice(0)) await h.close();
  });

  test('a paused run gets a redraw from the next worker, with nothing else changed', async () => {
    const first = await harness();
    open.push(first);
    const { run } = await first.engine.createRun({
      requester: REQUESTER,
      channel: 'C1',
      runbook: 'toy.pause',
      params: {},
    });
    const paused = await waitForStatus(first, run.id, ['paused']);
    await first.close();
    open.splice(0);

    // As if the first worker died after saving the pause and before its card said so.
    const next = await harness({ prefix: first.prefix, queueName: first.queueName });
    open.push(next);
    await eventually(() => next.reporter.types(run.id).includes('redraw'), 'the redraw');
    expect(next.reporter.types(run.id)).toEqual(['redraw']);
    const after = await next.engine.getRun(run.id);
    expect(after?.status).toBe('paused');
    expect(after?.updatedAt).toBe(paused.updatedAt);
  });
});
