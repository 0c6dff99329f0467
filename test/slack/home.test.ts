import { describe, expect, test } from 'vitest';
import { renderBlocksAsText } from '../../src/sim/slack/render-text.js';
import { alice, bob, carol, dave, harnessesClosedAfterEach } from '../support/drain-fixture.js';
import { findButton } from '../../src/sim/slack/index.js';
import { eventually } from '../support/wait.js';

/** The App Home tab through the real receiver: a signed app_home_opened event, views.publish to the stand-in. */
describe('App Home tab (issue 19.3)', () => {
  const start = harnessesClosedAfterEach();

  test('each person sees the approvals waiting for them, their runs and every active run, linked', async () => {
    const h = await start();
    await h.driver.command('/es', 'drain node-3', alice);
    const card = await h.cardWithButton('run_approve');
    const runId = /run `(r-[0-9a-f]+)`/.exec(h.cardText(card))![1]!;
    const permalink = `https://opsbot-test.slack.com/archives/${card.channel}/p${card.ts.replace('.', '')}|`;

    const home = async (who: typeof alice) => {
      const res = await h.driver.event({ type: 'app_home_opened', user: who.user_id, tab: 'home', channel: 'D0HOME' });
      expect(res.status).toBe(200);
      return eventually(() => {
        const view = h.stack.slack.home(who.user_id);
        return view && view.type === 'home' && renderBlocksAsText(view.blocks, '');
      }, `${who.user_name}'s home tab`);
    };
    const section = (text: string, title: string, next: string) =>
      text.slice(text.indexOf(title), next ? text.indexOf(next) : undefined);

    // Bob approves drains: the run waits for him, and links to its card.
    const bobs = await home(bob);
    const waiting = section(bobs, 'Waiting for your approval', 'Your runs');
    expect(waiting).toContain(runId);
    expect(waiting).toContain('awaiting approval');
    expect(JSON.stringify(h.stack.slack.home(bob.user_id)!.blocks)).toContain(permalink);
    expect(section(bobs, 'Your runs', 'Active runs')).toContain('You have not asked for a run yet.');
    expect(section(bobs, 'Active runs', '')).toContain(runId);

    // Alice asked for it: hers, and not hers to approve.
    const alices = await home(alice);
    expect(section(alices, 'Waiting for your approval', 'Your runs')).toContain('Nothing waits for you.');
    expect(section(alices, 'Your runs', 'Active runs')).toContain(runId);

    // Dave approves nothing.
    const daves = await home(dave);
    expect(section(daves, 'Waiting for your approval', 'Your runs')).toContain('Nothing waits for you.');
    expect(section(daves, 'Active runs', '')).toContain(runId);

    // Approved and moving: bob's list empties, the active run shows its state, drawn afresh on each open.
    await h.click('run_approve', bob, card);
    await eventually(
      () => h.threadTexts(card.ts).some((t) => t.includes('*Move shards off the node* — persistent')),
      'the exclusion written',
    );
    await eventually(async () => {
      const text = await home(bob);
      return !section(text, 'Waiting for your approval', 'Your runs').includes(runId);
    }, "the approval gone from bob's list");
  });

  test('approvers get a DM with the card when asked for approval, unless they turned it off on Home', async () => {
    const h = await start();
    // Carol turns her approval DMs off from her Home tab (the switch is a button; pressed as Slack sends it).
    await h.driver.event({ type: 'app_home_opened', user: carol.user_id, tab: 'home', channel: 'D0CAROL' });
    const home = await eventually(() => h.stack.slack.home(carol.user_id), "carol's home tab");
    expect(findButton(home.blocks, 'home_dm_toggle')).toMatchObject({ value: 'off' });
    const res = await h.driver.clickInView({ action_id: 'home_dm_toggle' }, carol, home);
    expect(res.status).toBe(200);
    await eventually(
      () => findButton(h.stack.slack.home(carol.user_id)?.blocks, 'home_dm_toggle')?.value === 'on',
      'the switch to show DMs off',
    );

    await h.driver.command('/es', 'drain node-3', alice);
    const card = await h.cardWithButton('run_approve');
    const permalink = `https://opsbot-test.slack.com/archives/${card.channel}/p${card.ts.replace('.', '')}`;
    const dm = await eventually(() => h.stack.slack.messages('D0BOB')[0], "bob's DM");
    expect(dm.text).toContain('<@U0ALICE> asks for your approval of *Move shards off the node*');
    expect(dm.text).toContain(`<${permalink}|Drain node-3`);
    // Carol asked for none, and the requester gets none.
    expect(h.stack.slack.messages('D0CAROL')).toEqual([]);
    expect(h.stack.slack.messages('D0ALICE')).toEqual([]);
  });
});
