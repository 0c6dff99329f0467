import { afterEach, describe, expect, test } from 'vitest';
import { parsePolicy } from '../../src/config/policy.js';
import { alice, carol, startDrainHarness, type DrainHarness } from '../support/drain-fixture.js';
import { eventually } from '../support/wait.js';

const EXCLUDE = 'cluster.routing.allocation.exclude._ip';
const REASON = 'node-3 disk failing, <!channel> moving shards now';
const policy = (breakGlass: string) =>
  parsePolicy(`rules:\n  - command: "es drain"\n    approvals: 2\n${breakGlass}`, 'policy.yaml');
const RESPONDERS = 'breakGlass:\n  responders: { users: [U0CAROL] }\n';

/** Issue 17.7: a named responder may run a change alone, announced with who and why. */
describe('break-glass, through Slack', () => {
  let h: DrainHarness;
  afterEach(async () => {
    await h?.close();
  });
  const runs = () => h.stack.bot.engine.listRuns();

  test('a responder runs a drain alone: no approval asked, announced on the card and in the audit log', async () => {
    h = await startDrainHarness({ policy: policy(RESPONDERS) });
    await h.driver.command('/es', `drain node-3 --break-glass "${REASON}"`, carol);
    await eventually(() => h.proxy.settingsWrites().length > 0, 'the exclusion written without an approval');
    const [run] = await runs();
    expect(run!.breakGlass).toEqual({ by: carol.user_id, reason: REASON });
    expect(run!.approvals).toEqual([]);
    const card = h.cards()[0]!;
    expect(h.view.cardWithButton('run_approve')).toBeUndefined();
    const text = h.cardText(card);
    expect(text).toContain('Break-glass');
    expect(text).toContain('@U0CAROL runs this without a second approval');
    // The reason is the user's text: escaped, it pings nobody.
    expect(JSON.stringify(card.blocks)).not.toContain('<!channel>');
    expect(JSON.stringify(card.blocks)).toContain('&lt;!channel&gt;');
    expect(h.threadTexts(card.ts).some((t) => t.includes('*Break-glass*'))).toBe(true);
    const audit = await h.stack.bot.engine.audit.read({ runId: run!.id });
    expect(audit.find((e) => e.type === 'break_glass')).toMatchObject({
      user: carol.user_id,
      detail: { reason: REASON },
    });
    const body = h.proxy.settingsWrites()[0];
    expect(JSON.stringify(body)).toContain(EXCLUDE);
  });

  test('anyone else is refused, told who may; nothing is created', async () => {
    h = await startDrainHarness({ policy: policy(RESPONDERS) });
    await h.driver.command('/es', 'drain node-3 --break-glass "in a hurry"', alice);
    const refusal = await eventually(
      () => h.ephemeralTexts(alice.user_id).find((t) => t.includes('--break-glass')),
      'the refusal',
    );
    expect(refusal).toContain('Only <@U0CAROL> may use `--break-glass`');
    expect(refusal).toContain('approved as usual');
    // The responder is a live mention on the message, not the literal text "<@U0CAROL>".
    const shown = h.view.ephemerals(alice.user_id).find((e) => e.text.includes('--break-glass'));
    expect(JSON.stringify(shown?.blocks)).toContain('Only <@U0CAROL> may use');
    expect(await runs()).toEqual([]);
    expect(h.proxy.settingsWrites()).toEqual([]);
    // Help says the flag exists and who may use it.
    await h.driver.command('/es', 'help', alice);
    await eventually(
      () => h.view.ephemerals(alice.user_id).some((e) => JSON.stringify(e.blocks ?? []).includes('--break-glass')),
      'the help note',
    );
  });

  test('switched off in the policy, or not set up: refused saying what to change; the reason is required', async () => {
    h = await startDrainHarness({ policy: policy(`${RESPONDERS}  enabled: false\n`) });
    await h.driver.command('/es', 'drain node-3 --break-glass "fire"', carol);
    await eventually(
      () => h.ephemeralTexts(carol.user_id).some((t) => t.includes('switched off in the policy')),
      'the switched-off refusal',
    );
    await h.driver.command('/es', 'drain node-3 --break-glass', carol);
    await eventually(
      () => h.ephemeralTexts(carol.user_id).some((t) => t.includes('--break-glass needs a value')),
      'the missing reason',
    );
    expect(await runs()).toEqual([]);
    await h.close();
    h = await startDrainHarness({ policy: policy('') });
    await h.driver.command('/es', 'drain node-3 --break-glass "fire"', carol);
    await eventually(
      () => h.ephemeralTexts(carol.user_id).some((t) => t.includes('the policy names no responders')),
      'the not-set-up refusal',
    );
    expect(await runs()).toEqual([]);
  });
});
