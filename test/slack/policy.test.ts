import { afterEach, describe, expect, test } from 'vitest';
import { parsePolicy } from '../../src/config/policy.js';
import { alice, bob, carol, dave, startDrainHarness, type DrainHarness } from '../support/drain-fixture.js';
import { eventually } from '../support/wait.js';

const policy = (yaml: string) => parsePolicy(yaml, 'policy.yaml');

describe('access and approval policy, through Slack', () => {
  let h: DrainHarness;
  afterEach(async () => {
    await h?.close();
  });
  const audit = async () =>
    (await h.stack.bot.engine.audit.read({ count: 200 })).map((e) => `${e.type}:${e.user ?? ''}`);

  test(
    '2 of 3: the card counts approvals; the requester and a repeated ' + 'click do not count; a user group approves',
    async () => {
      h = await startDrainHarness({
        policy: policy(
          'rules:\n  - command: "es drain"\n    approvals: 2\n    approvers: { users: [U0BOB], usergroups: ' +
            '[S0ESADMINS] }\n',
        ),
      });
      h.stack.slack.setUsergroup('S0ESADMINS', ['U0CAROL', 'U0ERIN']);
      await h.driver.command('/es', 'drain node-3', alice);
      const card = await h.cardWithButton('run_approve');
      expect(h.cardText(card)).toContain('0 of 2 approvals — waiting for 2 more from @U0BOB, @S0ESADMINS');
      await h.click('run_approve', alice, card);
      await h.click('run_approve', bob, card);
      const half = await eventually(() => {
        const c = h.cards()[0]!;
        return h.cardText(c).includes('1 of 2 approvals') ? h.cardText(c) : undefined;
      }, 'the card at 1 of 2');
      expect(half).toContain('1 of 2 approvals: @U0BOB ✓ — waiting for one more from @U0BOB, @S0ESADMINS');
      await h.click('run_approve', bob, card);
      await eventually(
        () => h.ephemeralTexts(bob.user_id).some((t) => t.includes('You already approved this')),
        'the repeated click refusal',
      );
      await h.click('run_approve', dave, card);
      await eventually(
        () => h.ephemeralTexts(dave.user_id).some((t) => t.includes('not in the approvers list')),
        'the non-approver refusal',
      );
      expect(h.proxy.settingsWrites()).toEqual([]);
      await h.click('run_approve', carol, card); // a member of S0ESADMINS
      await eventually(
        () => h.threadTexts(card.ts).find((t) => t.includes('safe to stop')),
        'the drain to finish',
        30_000,
      );
      const run = (await h.stack.bot.engine.listRuns())[0]!;
      expect(run.approvals.map((a) => a.by)).toEqual(['U0BOB', 'U0CAROL']);
      expect(await audit()).toEqual(
        expect.arrayContaining([
          'approval_refused:U0ALICE',
          'approved:U0BOB',
          'approval_refused:U0BOB',
          'approval_refused:U0DAVE',
          'approved:U0CAROL',
        ]),
      );
    },
  );

  test('who may request and where: refusals name the group or channel; help shows only what you may run', async () => {
    h = await startDrainHarness({
      policy: policy(
        'rules:\n  - command: "es drain"\n    requesters: { usergroups: [S0ESADMINS] }\n  - command: "es ' +
          'bounce"\n    channels: [C0MAINT]\n',
      ),
    });
    h.stack.slack.setUsergroup('S0ESADMINS', ['U0BOB']);
    await h.driver.command('/es', 'drain node-3', alice);
    expect(
      await eventually(
        () => h.ephemeralTexts(alice.user_id).find((t) => t.includes('may run')),
        'the requester refusal',
      ),
    ).toContain('Only <!subteam^S0ESADMINS> may run `es drain` (policy rule "es drain")');
    await h.driver.command('/es', 'bounce node-2', alice);
    expect(
      await eventually(
        () => h.ephemeralTexts(alice.user_id).find((t) => t.includes('may not run in this channel')),
        'the channel refusal',
      ),
    ).toContain('`es bounce` may not run in this channel; it may run in <#C0MAINT>');
    expect(h.cards()).toEqual([]);
    await h.driver.command('/es', 'help', alice);
    const help = await eventually(
      () => h.ephemeralTexts(alice.user_id).find((t) => t.includes('/es status')),
      "alice's help",
    );
    expect(help).not.toContain('/es drain');
    expect(help).not.toContain('/es bounce');
    const blocks = JSON.stringify(h.view.ephemerals(alice.user_id).at(-1)!.blocks);
    expect(blocks).toContain('2 more command(s) are not shown');
    await h.driver.command('/es', 'help', bob);
    expect(
      await eventually(() => h.ephemeralTexts(bob.user_id).find((t) => t.includes('/es status')), "bob's help"),
    ).toContain('/es drain');
    await h.driver.command('/es', 'drain node-3', bob);
    await h.cardWithButton('run_approve');
    expect(await audit()).toEqual(expect.arrayContaining(['request_refused:U0ALICE']));
  });

  test('a request signed for another workspace is refused and changes nothing', async () => {
    h = await startDrainHarness();
    const res = await h.driver.command('/es', 'drain node-3', { ...alice, team_id: 'T0FORGED' });
    expect(res.status).toBe(200);
    await eventually(
      () => h.stack.slack.responses.some((r) => String(r.text).includes('serves one workspace only')),
      'the refusal',
    );
    expect(h.cards()).toEqual([]);
    expect(await h.stack.bot.engine.listRuns()).toEqual([]);
    await h.driver.command('/es', 'drain node-3', alice);
    const card = await h.cardWithButton('run_approve');
    await h.driver.click(
      { action_id: 'run_approve' },
      { ...bob, team_id: 'T0FORGED' },
      { channel: 'C0OPS', ts: card.ts, blocks: card.blocks },
    );
    await new Promise((r) => setTimeout(r, 300));
    expect((await h.stack.bot.engine.listRuns())[0]!.approvals).toEqual([]);
  });
});
