import { inject } from 'vitest';
import { startLocalStack, type LocalStack, type LocalStackOptions } from '../../src/main/local-stack.js';
import { ChannelView } from '../../src/sim/slack/index.js';
import type { StoredMessage } from '../../src/sim/slack/types.js';
import { alice, bob, carol, CHANNEL, fourNodeCluster } from '../support/drain-fixture.js';
import { clickOnCard } from '../support/slack-channel.js';
import { eventually } from '../support/wait.js';
import type { EtlWorld } from './etl-fixture.js';
import { TEAM_READS } from '../support/read-policy.js';

export { alice, bob, carol, CHANNEL };

export interface EtlStack {
  stack: LocalStack;
  /** The channel as the Slack stand-in holds it now. */
  view: ChannelView;
  /** Sends a slash command as `who` (alice unless said). */
  command(slash: '/etl' | '/spot', text: string, who?: typeof alice): Promise<void>;
  /** Top-level messages of the channel, as text. */
  channelTexts(): string[];
  /** The newest channel message whose text contains `needle`; waits for it. */
  message(needle: string): Promise<StoredMessage>;
  text(m: StoredMessage): string;
  /** What only `who` saw (usage errors, refusals, problems). */
  ephemeral(needle: string, who?: typeof alice): Promise<string>;
  threadTexts(ts: string): string[];
  cardWithButton(actionId: string): Promise<StoredMessage>;
  click(actionId: string, who: typeof alice, card: StoredMessage): Promise<void>;
  close(): Promise<void>;
}

let counter = 0;

/** The bot, behind its real receiver, pointed at an ETL world; bob and carol approve. */
export async function startEtlStack(
  world: EtlWorld,
  over: { estate?: Record<string, unknown>; env?: NodeJS.ProcessEnv; stack?: Partial<LocalStackOptions> } = {},
): Promise<EtlStack> {
  const stack = await startLocalStack({
    redisUrl: inject('redisUrl'),
    prefix: `etl${process.pid}-${++counter}-${Date.now()}`,
    policy: TEAM_READS,
    ...over.stack,
    cluster: fourNodeCluster(),
    tickMs: 0,
    estate: {
      approvers: { users: [bob.user_id, carol.user_id] },
      ...world.estate,
      ...over.estate,
    },
    env: over.env ?? world.env,
    cardUpdates: { perMessageMs: 100, globalGapMs: 0 },
    retry: { baseMs: 100, maxMs: 200, giveUpAfterMs: 2_000 },
  });
  const view = new ChannelView(stack.slack, CHANNEL);
  return {
    stack,
    view,
    text: (m) => view.text(m),
    async command(slash, t, who = alice) {
      const res = await stack.driver.command(slash, t, who);
      if (res.status !== 200) throw new Error(`${slash} ${t} answered ${res.status}`);
    },
    channelTexts: () => view.texts(),
    message: (needle) =>
      eventually(
        () => view.messageWith(needle),
        `a message containing "${needle}" (have: ${view
          .messages()
          .map((m) => m.text)
          .join(' | ')})`,
        20_000,
      ),
    ephemeral: (needle, who = alice) =>
      eventually(
        () => view.ephemeralTexts(who.user_id).find((t) => t.includes(needle)),
        `an ephemeral with "${needle}" (have: ${view.ephemeralTexts(who.user_id).join(' | ')})`,
        20_000,
      ),
    threadTexts: (ts) => view.threadTexts(ts),
    cardWithButton: (id) => eventually(() => view.cardWithButton(id), `a card with a ${id} button`),
    click: (actionId, who, card) => clickOnCard(stack.driver, view, actionId, who, card),
    close: () => stack.close(),
  };
}
