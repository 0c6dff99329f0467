import { inject } from 'vitest';
import type { EstateInput } from '../../src/config/estate.js';
import { startLocalStack, type LocalStack } from '../../src/main/local-stack.js';
import { startFrontendHost, type FrontendHost } from '../../src/sim/activedata/index.js';
import { ChannelView } from '../../src/sim/slack/index.js';
import type { StoredMessage } from '../../src/sim/slack/types.js';
import { CHANNEL, fourNodeCluster, type alice } from '../support/drain-fixture.js';
import { clickOnCard } from '../support/slack-channel.js';
import { eventually } from '../support/wait.js';
import { TEAM_READS } from '../support/read-policy.js';

export { alice, bob, carol, dave, CHANNEL } from '../support/drain-fixture.js';

export interface ServiceHarness {
  stack: LocalStack;
  frontend: FrontendHost;
  /** The channel as the Slack stand-in holds it now. */
  view: ChannelView;
  command(text: string, who: typeof alice): Promise<void>;
  cards(): StoredMessage[];
  cardText(m: StoredMessage): string;
  threadTexts(ts: string): string[];
  /** The newest card that has this button, and was not among `before`; waits for it. */
  cardWithButton(actionId: string): Promise<StoredMessage>;
  click(actionId: string, who: typeof alice, card: StoredMessage): Promise<void>;
  ephemeralTexts(user: string): string[];
  /** Waits for a thread reply containing `text` under `card`; returns every reply. */
  threadWith(card: StoredMessage, text: string, timeoutMs?: number): Promise<string[]>;
  close(): Promise<void>;
}

let counter = 0;

/**
 * A local stack whose estate's `service:` is a test frontend reached over the test sshd: a real
 * git checkout, a real supervisord, the service answering /__version__. Bob and carol approve.
 * `service` overrides parts of the service config (a wrong port, say); `frontend` reuses a
 * running test frontend (then close() leaves it running).
 */
export async function startServiceHarness(
  service: Partial<NonNullable<EstateInput['service']>> = {},
  shared?: FrontendHost,
): Promise<ServiceHarness> {
  const sshd = inject('sshd');
  const frontend = shared ?? (await startFrontendHost());
  let stack: LocalStack;
  try {
    stack = await startLocalStack({
      redisUrl: inject('redisUrl'),
      prefix: `ad${process.pid}-${++counter}-${Date.now()}`,
      cluster: fourNodeCluster(),
      tickMs: 0,
      policy: TEAM_READS,
      estate: {
        approvers: { users: ['U0BOB', 'U0CAROL'] },
        service: {
          host: sshd.host,
          port: sshd.port,
          user: sshd.username,
          knownHosts: sshd.knownHostsPath,
          ...frontend.service,
          startTimeoutSeconds: 15,
          ...service,
        },
      },
      env: { SSH_PRIVATE_KEY_PATH: sshd.privateKeyPath },
      serviceTiming: { pollMs: 150 },
      cardUpdates: { perMessageMs: 200, globalGapMs: 0 },
    });
  } catch (err) {
    if (!shared) await frontend.stop();
    throw err;
  }
  const view = new ChannelView(stack.slack, CHANNEL);
  return {
    stack,
    frontend,
    view,
    cards: () => view.messages(),
    threadTexts: (ts) => view.threadTexts(ts),
    async command(text, who) {
      const res = await stack.driver.command('/activedata', text, who);
      if (res.status !== 200) throw new Error(`/activedata ${text} answered ${res.status}`);
    },
    cardText: (m) => view.text(m),
    // On a timeout, say what the requester was told instead: that is usually why.
    cardWithButton: (id) =>
      eventually(() => view.cardWithButton(id), `a card with a ${id} button`, 20_000).catch((err: Error) => {
        throw new Error(`${err.message}; ephemerals: ${JSON.stringify(view.ephemeralTexts())}`);
      }),
    click: (actionId, who, card) => clickOnCard(stack.driver, view, actionId, who, card),
    ephemeralTexts: (user) => view.ephemeralTexts(user),
    threadWith: (card, text, timeoutMs = 30_000) =>
      eventually(
        () => {
          const t = view.threadTexts(card.ts);
          return t.some((x) => x.includes(text)) ? t : undefined;
        },
        `a thread reply containing "${text}"`,
        timeoutMs,
      ),
    async close() {
      await stack.close();
      if (!shared) await frontend.stop();
    },
  };
}
