import { inject } from 'vitest';
import type { EstateInput } from '../../src/config/estate.js';
import { startLocalStack, type LocalStack, type LocalStackOptions } from '../../src/main/local-stack.js';
import { renderBlocksAsText } from '../../src/sim/slack/index.js';
import type { StoredMessage } from '../../src/sim/slack/types.js';
import { alice, bob, carol, CHANNEL, fourNodeCluster } from '../support/drain-fixture.js';
import { eventually } from '../support/wait.js';
import type { EtlWorld } from './etl-fixture.js';

export { alice, bob, carol, CHANNEL };

export interface EtlStack {
  stack: LocalStack;
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
    ...over.stack,
    cluster: fourNodeCluster(),
    tickMs: 0,
    estate: {
      approvers: { users: [bob.user_id, carol.user_id] },
      ...world.estate,
      ...over.estate,
    } as Partial<EstateInput>,
    env: over.env ?? world.env,
    cardUpdates: { perMessageMs: 100, globalGapMs: 0 },
    retry: { baseMs: 100, maxMs: 200, giveUpAfterMs: 2_000 },
  });
  const messages = () => stack.slack.messages(CHANNEL);
  const text = (m: StoredMessage) => renderBlocksAsText(m.blocks ?? [], m.text);
  const hasButton = (m: StoredMessage, id: string) => JSON.stringify(m.blocks ?? []).includes(`"action_id":"${id}"`);
  return {
    stack,
    text,
    async command(slash, t, who = alice) {
      const res = await stack.driver.command(slash, t, who);
      if (res.status !== 200) throw new Error(`${slash} ${t} answered ${res.status}`);
    },
    channelTexts: () => messages().map(text),
    message: (needle) =>
      eventually(
        () => [...messages()].reverse().find((m) => text(m).includes(needle)),
        `a message containing "${needle}" (have: ${messages()
          .map((m) => m.text)
          .join(' | ')})`,
        20_000,
      ),
    ephemeral: (needle, who = alice) =>
      eventually(
        () =>
          stack.slack
            .ephemerals(CHANNEL, who.user_id)
            .map((e) => e.text)
            .find((t) => t.includes(needle)),
        `an ephemeral with "${needle}" (have: ${stack.slack
          .ephemerals(CHANNEL, who.user_id)
          .map((e) => e.text)
          .join(' | ')})`,
        20_000,
      ),
    threadTexts: (ts) => stack.slack.thread(CHANNEL, ts).map((m) => m.text),
    cardWithButton: (id) =>
      eventually(() => [...messages()].reverse().find((m) => hasButton(m, id)), `a card with a ${id} button`),
    async click(actionId, who, card) {
      const fresh = messages().find((m) => m.ts === card.ts) ?? card;
      const res = await stack.driver.click({ action_id: actionId }, who, {
        channel: CHANNEL,
        ts: fresh.ts,
        blocks: fresh.blocks,
      });
      if (res.status !== 200) throw new Error(`click ${actionId} answered ${res.status}`);
    },
    close: () => stack.close(),
  };
}
