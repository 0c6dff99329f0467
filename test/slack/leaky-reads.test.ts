import { afterEach, describe, expect, test } from 'vitest';
import { ChannelView } from '../../src/sim/slack/index.js';
import { alice, CHANNEL, dave, startDrainHarness, type DrainHarness } from '../support/drain-fixture.js';
import { TEAM_READS } from '../support/read-policy.js';
import { eventually } from '../support/wait.js';

/** The reads that can show secrets or production log lines, as typed. */
const LEAKY: Array<[slash: string, text: string, key: string]> = [
  ['/activedata', 'logs 1000 --grep token', 'activedata logs'],
  ['/activedata', 'config', 'activedata config'],
  ['/spot', 'log 50', 'spot log'],
  ['/ops', 'audit 20', 'ops audit'],
];

const SHARED = 'C0PARTNERS';
const GUEST = { user_id: 'U0GUEST', user_name: 'gus', channel_id: CHANNEL };
const ONE_CHANNEL_GUEST = { user_id: 'U0SOLO', user_name: 'solo', channel_id: CHANNEL };

describe('reads that can leak are closed by default', () => {
  let h: DrainHarness;
  afterEach(async () => {
    await h?.close();
  });

  /** Sends a command and waits for what `who` alone is shown in `channel` in answer. */
  async function answerTo(who: typeof alice, slash: string, text: string, channel = who.channel_id): Promise<string> {
    const view = new ChannelView(h.stack.slack, channel);
    const before = view.ephemerals(who.user_id).length;
    const res = await h.driver.command(slash, text, who);
    expect(res.status).toBe(200);
    const shown = await eventually(
      () => view.ephemerals(who.user_id)[before],
      `an answer to ${slash} ${text} for ${who.user_name}`,
    );
    return view.text(shown);
  }

  test('without a rule naming readers, each is refused, saying which policy key to add; nothing runs', async () => {
    h = await startDrainHarness();
    for (const [slash, text, key] of LEAKY) {
      const said = await answerTo(alice, slash, text);
      expect(said).toContain(`\`/${key}\` can show secrets and production log lines, so it is closed`);
      expect(said).toContain(`add a rule \`command: '${key}'\` with \`requesters:\``);
    }
    // Refused before any handler: nothing posted in the channel, no file, every refusal audited.
    expect(h.cards()).toHaveLength(0);
    expect(h.stack.slack.files()).toHaveLength(0);
    const refused = (await h.stack.bot.engine.audit.read()).filter((e) => e.type === 'request_refused');
    expect(refused.map((e) => e.runbook)).toEqual(LEAKY.map(([, , key]) => key));
    // A rule that matches but names nobody is no better: `*` with channels only.
    await h.close();
    h = await startDrainHarness({ policy: { rules: [{ command: '*', channels: [CHANNEL] }] } });
    expect(await answerTo(alice, '/ops', 'audit')).toContain('rule "*" names nobody');
  });

  test('with a rule: answered to the requester alone; others (not named) are refused and told who may', async () => {
    h = await startDrainHarness({
      policy: { rules: [{ command: 'ops audit', requesters: { users: [alice.user_id], usergroups: [] } }] },
    });
    const audit = await answerTo(alice, '/ops', 'audit 5');
    expect(audit).toContain('audit');
    expect(audit).not.toContain('closed');
    expect(h.cards()).toHaveLength(0); // ephemeral, never in the channel
    // A live mention, shown as Slack shows it (it read as the literal "<@U0ALICE>" before).
    expect(await answerTo(dave, '/ops', 'audit 5')).toContain('Only @U0ALICE may run `ops audit`');
  });

  test('refused in a channel shared with another organisation, for any reader', async () => {
    h = await startDrainHarness({ policy: TEAM_READS });
    h.stack.slack.addChannel(SHARED, 'partners-ops', { is_ext_shared: true });
    const inShared = { ...alice, channel_id: SHARED };
    for (const [slash, text, key] of LEAKY)
      expect(await answerTo(inShared, slash, text)).toContain(
        `\`/${key}\` is not answered in a channel shared with another organisation (Slack Connect)`,
      );
    expect(new ChannelView(h.stack.slack, SHARED).messages()).toHaveLength(0);
    // The same person in an internal channel is answered.
    expect(await answerTo(alice, '/ops', 'audit 5')).not.toContain('Slack Connect');
  });

  test('refused for guest accounts (multi- and single-channel), even when the policy names them', async () => {
    h = await startDrainHarness({
      policy: {
        rules: [
          { command: 'ops audit', requesters: { users: [GUEST.user_id, ONE_CHANNEL_GUEST.user_id], usergroups: [] } },
        ],
      },
    });
    h.stack.slack.addUser({ id: GUEST.user_id, name: 'gus', is_restricted: true });
    h.stack.slack.addUser({
      id: ONE_CHANNEL_GUEST.user_id,
      name: 'solo',
      is_restricted: true,
      is_ultra_restricted: true,
    });
    expect(await answerTo(GUEST, '/ops', 'audit')).toContain(
      '`/ops audit` is not open to guest accounts (this is a multi-channel guest)',
    );
    expect(await answerTo(ONE_CHANNEL_GUEST, '/ops', 'audit')).toContain('(this is a single-channel guest)');
  });

  test('the lookups are cached; when Slack cannot say, the read is refused (fails closed)', async () => {
    h = await startDrainHarness({ policy: TEAM_READS });
    await answerTo(alice, '/ops', 'audit');
    await answerTo(alice, '/ops', 'audit');
    expect(h.stack.slack.callsTo('conversations.info')).toHaveLength(1);
    expect(h.stack.slack.callsTo('users.info').filter((c) => c.args.user === alice.user_id)).toHaveLength(1);
    // A person not seen before, and Slack failing that lookup.
    h.stack.slack.failNext('users.info', { error: 'ratelimited' }, 10);
    expect(await answerTo(dave, '/ops', 'audit')).toContain('Slack did not say whether your account is a guest');
  });
});
