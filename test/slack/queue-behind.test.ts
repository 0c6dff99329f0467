import { afterEach, describe, expect, test } from 'vitest';
import { QUEUE_ACTION } from '../../src/slack/views/refusals.js';
import { alice, bob, carol, CHANNEL, dave, startDrainHarness, type DrainHarness } from '../support/drain-fixture.js';
import { eventually } from '../support/wait.js';

let h: DrainHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

/** Writes of the drains' exclusion list, in order (the value each wrote). */
const exclusionWrites = (h: DrainHarness) => h.proxy.settingsWrites().map((w) => JSON.stringify(w));

/** alice's drain of node-3, approved by bob and moving shards (slowly); carol's node-4 is refused with the offer. */
async function refusedWithOffer() {
  h = await startDrainHarness({ speed: 0.01, queueRecheckMs: 100 });
  await h.driver.command('/es', 'drain node-3', alice);
  const first = await h.cardWithButton('run_approve');
  await h.click('run_approve', bob, first);
  const [a] = await h.stack.bot.engine.listRuns();
  await eventually(async () => (await h!.stack.bot.engine.getRun(a!.id))?.steps[1]?.status === 'running', 'the wait');
  await h.driver.command('/es', 'drain node-4', carol);
  const offer = await eventually(
    () => h!.view.ephemerals(carol.user_id).find((e) => JSON.stringify(e.blocks ?? []).includes(QUEUE_ACTION)),
    'the refusal with its queue button',
  );
  expect(offer.text).toContain(`held by run ${a!.id}`);
  expect(JSON.stringify(offer.blocks)).toContain(`Queue behind run ${a!.id}`);
  return { a: a!, first, offer };
}

/** Waits until the card shows the button (its update is throttled), then clicks it. */
async function clickWhenShown(actionId: string, who: typeof alice, card: { ts: string }) {
  const shown = await eventually(() => {
    const now = h!.cards().find((m) => m.ts === card.ts);
    return now && JSON.stringify(now.blocks ?? []).includes(`"${actionId}"`) ? now : undefined;
  }, `${actionId} on the card`);
  await h!.click(actionId, who, shown);
}

/** The run's card, once posted and attached to the run. */
async function cardOf(runId: string) {
  return eventually(async () => {
    const ts = (await h!.stack.bot.engine.getRun(runId))?.message?.ts;
    return ts ? h!.cards().find((m) => m.ts === ts) : undefined;
  }, `the card of run ${runId}`);
}

async function pressQueue(offer: { ts: string; blocks?: unknown[] }, who = carol) {
  const res = await h!.driver.click({ action_id: QUEUE_ACTION }, who, {
    channel: CHANNEL,
    ts: offer.ts,
    blocks: offer.blocks ?? [],
    is_ephemeral: true,
  });
  expect(res.status).toBe(200);
}

/** carol's request for node-4, then dave's for node-1, both queued behind alice's drain: carol's first in line. */
async function twoInLine() {
  const { a, first, offer } = await refusedWithOffer();
  await pressQueue(offer);
  const b = await eventually(
    async () => (await h!.stack.bot.engine.listRuns()).find((r) => r.id !== a.id),
    "carol's queued run",
  );
  await h!.driver.command('/es', 'drain node-1', dave);
  const daveOffer = await eventually(
    () => h!.view.ephemerals(dave.user_id).find((e) => JSON.stringify(e.blocks ?? []).includes(QUEUE_ACTION)),
    "dave's refusal with its queue button",
  );
  await pressQueue(daveOffer, dave);
  const c = await eventually(
    async () => (await h!.stack.bot.engine.listRuns()).find((r) => r.id !== a.id && r.id !== b.id),
    "dave's queued run",
  );
  return { a, first, b, c };
}

describe('a request behind another allocation change can be queued', () => {
  test('queued: approved now, waits through the first run and its Revert, then its facts are read again', async () => {
    const { a, first, offer } = await refusedWithOffer();
    await pressQueue(offer);
    await eventually(
      () => h!.view.ephemeralTexts(carol.user_id).find((t) => t.startsWith(`Queued behind run ${a.id}`)),
      'the queued reply',
    );
    const b = (await h!.stack.bot.engine.listRuns()).find((r) => r.id !== a.id)!;
    expect(b.queued).toMatchObject({ behind: a.id });
    const card = await cardOf(b.id);
    expect(h!.cardText(card)).toContain(`Queued behind run ${a.id}`);
    // Approved now (a normal approval), and yet nothing is written while the drain holds the cluster.
    await h!.click('run_approve', bob, card);
    await eventually(async () => (await h!.stack.bot.engine.getRun(b.id))?.approvals.length === 1, 'the approval');
    // The first drain is cancelled and reverted: its Revert holds the lock, the queued run waits on.
    await clickWhenShown('run_cancel', alice, first);
    await eventually(async () => (await h!.stack.bot.engine.getRun(a.id))?.undoOffer !== undefined, 'the offer');
    await clickWhenShown('run_revert', alice, first);
    await eventually(async () => (await h!.stack.bot.engine.getRun(a.id))?.status === 'awaiting_approval', 'revert');
    expect((await h!.stack.bot.engine.getRun(b.id))!.queued).toBeDefined();
    await clickWhenShown('run_approve', bob, first);
    await eventually(async () => (await h!.stack.bot.engine.getRun(a.id))?.status === 'reverted', 'reverted');
    expect(exclusionWrites(h!)).toHaveLength(2); // the drain's, then its revert's
    // Its turn: the exclusion list is not what its approver saw, so the approval is void and asked again.
    const reasked = await eventually(async () => {
      const r = await h!.stack.bot.engine.getRun(b.id);
      return r && !r.queued && r.lock && r.status === 'awaiting_approval' ? r : undefined;
    }, 'the queued run to take the lock and ask again');
    expect(reasked.requestFacts).toBeDefined();
    expect(exclusionWrites(h!)).toHaveLength(2);
    expect(h!.threadTexts(card.ts).join('\n')).toContain(`Run ${a.id} has let go of the lock`);
    await clickWhenShown('run_approve', bob, card);
    await eventually(() => exclusionWrites(h!).length === 3, "the queued drain's write");
    expect(exclusionWrites(h!)[2]).toContain('172.31.0.14');
    expect(exclusionWrites(h!)[2]).not.toContain('172.31.0.39');
  }, 30_000);

  test('a queued run can be cancelled while it waits: it never writes; only the requester can queue', async () => {
    const { a, offer } = await refusedWithOffer();
    await pressQueue(offer, alice);
    await eventually(
      () => h!.view.ephemeralTexts(alice.user_id).find((t) => t.includes('Only <@U0CAROL>, who asked for it')),
      'the refusal to queue for someone else',
    );
    await pressQueue(offer);
    await pressQueue(offer); // a double click queues once
    await eventually(() => h!.view.ephemeralTexts(carol.user_id).some((t) => t.startsWith('Already queued')), 'twice');
    const runs = await h!.stack.bot.engine.listRuns();
    expect(runs).toHaveLength(2);
    const b = runs.find((r) => r.id !== a.id)!;
    const card = await cardOf(b.id);
    await h!.click('run_cancel', carol, card);
    await eventually(async () => (await h!.stack.bot.engine.getRun(b.id))?.status === 'cancelled', 'cancelled');
    h!.stack.es.setSpeed(200);
    await eventually(async () => (await h!.stack.bot.engine.getRun(a.id))?.status === 'succeeded', 'drain 1', 20_000);
    expect(exclusionWrites(h!)).toHaveLength(1);
    expect((await h!.stack.bot.engine.getRun(b.id))!.lock).toBeUndefined();
  }, 30_000);

  test(
    'first come, first served: a run queued later waits for one queued before it, approved or not; a new ' +
      'request meanwhile is refused naming the first in line',
    async () => {
      const { a, first, b, c } = await twoInLine();
      const cCard = await cardOf(c.id);
      await eventually(
        () => h!.threadTexts(cCard.ts).some((t) => t.includes(`Queued behind run ${a.id}, 1 queued run before it`)),
        'the place in line, in the thread',
      );
      // dave's run is approved, carol's not yet; the drain is cancelled and kept: the lock is free.
      await h!.click('run_approve', bob, cCard);
      await clickWhenShown('run_cancel', alice, first);
      await clickWhenShown('run_keep', alice, first);
      await eventually(async () => (await h!.stack.bot.engine.getRun(a.id))?.undoOffer?.decided, 'the keep');
      // dave's run looks, finds carol's before it, and stays queued behind hers.
      await eventually(
        () => h!.threadTexts(cCard.ts).some((t) => t.includes(`Queued behind run ${b.id} now: queued before this one`)),
        "dave's run waiting for carol's",
      );
      expect((await h!.stack.bot.engine.getRun(c.id))!.queued).toMatchObject({ behind: b.id });
      expect(exclusionWrites(h!)).toHaveLength(1);
      // The lock is free, yet a new request is refused: the line goes first.
      await h!.driver.command('/es', 'drain node-2', alice);
      const refusal = await eventually(
        () => h!.view.ephemeralTexts(alice.user_id).find((t) => t.includes('first in line')),
        'the refusal naming the first in line',
      );
      expect(refusal).toMatch(
        new RegExp(`Not started: run ${b.id} \\(.*\\) is queued for the allocation lock of local, first in line`),
      );
      // carol's run approved: it takes the lock and writes; dave's waits behind it now.
      await h!.click('run_approve', bob, await cardOf(b.id));
      await eventually(() => exclusionWrites(h!).length === 2, "carol's drain's write");
      expect(exclusionWrites(h!)[1]).toContain('172.31.0.14');
      const waiting = (await h!.stack.bot.engine.getRun(c.id))!;
      expect(waiting.queued).toMatchObject({ behind: b.id });
      expect(waiting.lock).toBeUndefined();
    },
    30_000,
  );

  test('a run that leaves the line (cancelled while queued) holds nobody up: the next in line goes on', async () => {
    const { a, first, b, c } = await twoInLine();
    await h!.click('run_approve', bob, await cardOf(c.id));
    // carol gives up hers while it waits; then the drain ends (cancelled and kept): dave's run goes.
    await h!.click('run_cancel', carol, await cardOf(b.id));
    await eventually(async () => (await h!.stack.bot.engine.getRun(b.id))?.status === 'cancelled', 'cancelled');
    await clickWhenShown('run_cancel', alice, first);
    await clickWhenShown('run_keep', alice, first);
    const started = await eventually(async () => {
      const r = await h!.stack.bot.engine.getRun(c.id);
      return r && !r.queued && r.lock ? r : undefined;
    }, "dave's run to take the lock");
    expect(started.lock).toBe(a.lock);
    expect((await h!.stack.bot.engine.getRun(b.id))!.lock).toBeUndefined();
  }, 30_000);
});
