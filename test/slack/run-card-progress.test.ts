import { webApi } from '@slack/bolt';
import { afterEach, describe, expect, test } from 'vitest';
import { runbookRef, type Runbook } from '../../src/engine/index.js';
import { silentLogger } from '../../src/log.js';
import { FakeSlack, renderBlocksAsText } from '../../src/sim/slack/index.js';
import { CardUpdater } from '../../src/slack/card-updater.js';
import { SlackRunReporter } from '../../src/slack/run-reporter.js';
import { harness, REQUESTER, type Harness } from '../engine/helpers.js';
import { eventually } from '../support/wait.js';

const CHANNEL = 'C_PROGRESS';

/** One poll a call: the figures of poll N, then a long re-check (so no second poll comes soon). */
const polls = runbookRef<{ node: string }>('test.polls');
const pollsRunbook: Runbook<{ node: string }> = {
  ...polls,
  summary: (p) => `Watch ${p.node}`,
  steps: [
    {
      id: 'watch',
      title: 'Wait while ES moves the shards of the node',
      async run(ctx) {
        const n = ctx.attempt + 1;
        await ctx.progress({ fraction: 0.25, text: `poll ${n}: 7 shards left on ${ctx.params.node}` });
        return { status: 'wait', recheckInMs: 60_000 };
      },
    },
  ],
};

describe('the progress card draws the figures its event carries', () => {
  let h: Harness | undefined;
  let slack: FakeSlack | undefined;
  afterEach(async () => {
    await h?.close();
    await slack?.close();
    h = slack = undefined;
  });

  test("the first progress update shows that poll's figures", async () => {
    slack = await FakeSlack.start();
    slack.addChannel(CHANNEL, 'ops');
    const client = new webApi.WebClient(slack.botToken, { slackApiUrl: slack.apiUrl, retryConfig: { retries: 0 } });
    const updater = new CardUpdater({ perMessageMs: 0, globalGapMs: 0 }, silentLogger);
    const reporter = new SlackRunReporter(client, updater, silentLogger);
    h = await harness({ runbooks: [pollsRunbook], reporter });
    const { run } = await h.engine.start(polls, { node: 'node-3' }, { requester: REQUESTER, channel: CHANNEL });

    // The card is the channel's one message; its thread is the run's. Only one poll has happened.
    const card = await eventually(() => {
      const [msg] = slack!.messages(CHANNEL);
      return msg && renderBlocksAsText(msg.blocks, msg.text ?? '').includes('poll 1: 7 shards left on node-3')
        ? msg
        : undefined;
    }, 'the card to show the first poll');
    expect(renderBlocksAsText(card.blocks, card.text ?? '')).toContain('25%');
    expect((await h.engine.getRun(run.id))?.steps[0]?.attempts).toBe(1);
  });
});
