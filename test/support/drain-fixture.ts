import { Client } from '@elastic/elasticsearch';
import { afterEach, inject } from 'vitest';
import { startLocalStack, type LocalStack, type LocalStackOptions } from '../../src/main/local-stack.js';
import { SimCluster } from '../../src/sim/es/index.js';
import { ChannelView, type SlackDriver } from '../../src/sim/slack/index.js';
import type { StoredMessage } from '../../src/sim/slack/types.js';
import { startRecordingProxy, type RecordedRequest, type RecordingProxy } from './recording-proxy.js';
import { clickOnCard } from './slack-channel.js';
import { eventually } from './wait.js';

const GB = 1024 ** 3;
export const CHANNEL = 'C0OPS';
export const alice = { user_id: 'U0ALICE', user_name: 'alice', channel_id: CHANNEL };
export const bob = { user_id: 'U0BOB', user_name: 'bob', channel_id: CHANNEL };
export const carol = { user_id: 'U0CAROL', user_name: 'carol', channel_id: CHANNEL };
export const dave = { user_id: 'U0DAVE', user_name: 'dave', channel_id: CHANNEL };

/** Four nodes, node-3 on 172.31.0.39 as in the runbook; 24 shards of 1 GB. */
export function fourNodeCluster(): SimCluster {
  return new SimCluster({
    nodes: [
      { name: 'node-1', ip: '172.31.0.11', zone: 'primary', diskTotalBytes: 200 * GB },
      { name: 'node-2', ip: '172.31.0.12', zone: 'secondary', diskTotalBytes: 200 * GB },
      { name: 'node-3', ip: '172.31.0.39', zone: 'spot', diskTotalBytes: 200 * GB },
      { name: 'node-4', ip: '172.31.0.14', zone: 'primary', diskTotalBytes: 200 * GB },
    ],
    indices: [
      { name: 'unittest20160101_000000', shards: 8, replicas: 1, bytesPerShard: 1 * GB, aliases: ['unittest'] },
      { name: 'jobs20160101_000000', shards: 4, replicas: 1, bytesPerShard: 1 * GB, aliases: ['jobs'] },
    ],
    seed: 3,
  });
}

export interface DrainHarness {
  stack: LocalStack;
  es: Client;
  proxy: RecordingProxy;
  driver: SlackDriver;
  /** The channel as the Slack stand-in holds it now. */
  view: ChannelView;
  /** Top-level messages of the channel, as they are now. */
  cards(): StoredMessage[];
  cardText(m: StoredMessage): string;
  threadTexts(ts: string): string[];
  /** The newest card that has this button; waits for it. */
  cardWithButton(actionId: string): Promise<StoredMessage>;
  click(actionId: string, who: typeof alice, card: StoredMessage): Promise<void>;
  ephemeralTexts(user: string): string[];
  close(): Promise<void>;
}

let prefixCounter = 0;

/** A fault test's hands on the cluster's traffic (see startRecordingProxy). */
export interface ProxyHooks {
  afterResponse?: (r: RecordedRequest) => Promise<void> | void;
  beforeForward?: (r: RecordedRequest) => Promise<boolean> | boolean;
}

/** A full local stack whose cluster URL goes through a recording proxy; bob and carol approve. */
export async function startDrainHarness(
  options: Partial<LocalStackOptions> & { proxyHooks?: ProxyHooks } = {},
): Promise<DrainHarness> {
  const { proxyHooks, ...opts } = options;
  let proxy: RecordingProxy | undefined;
  const stack = await startLocalStack({
    redisUrl: inject('redisUrl'),
    prefix: `t${process.pid}-${++prefixCounter}-${Date.now()}`,
    cluster: fourNodeCluster(),
    speed: 50,
    tickMs: 20,
    esUrl: async (url) =>
      (proxy = await startRecordingProxy(url, proxyHooks?.afterResponse, proxyHooks?.beforeForward)).url,
    estate: { approvers: { users: [bob.user_id, carol.user_id] } },
    drainTiming: { pollMs: 100, stallAfterMs: 60_000 },
    cardUpdates: { perMessageMs: 250, globalGapMs: 0 },
    ...opts,
  });
  const es = new Client({ node: stack.es.url });
  const view = new ChannelView(stack.slack, CHANNEL);
  return {
    stack,
    es,
    proxy: proxy!,
    driver: stack.driver,
    view,
    cards: () => view.messages(),
    cardText: (m) => view.text(m),
    threadTexts: (ts) => view.threadTexts(ts),
    cardWithButton: (id) => eventually(() => view.cardWithButton(id), `a card with a ${id} button`),
    click: (actionId, who, card) => clickOnCard(stack.driver, view, actionId, who, card),
    ephemeralTexts: (user) => view.ephemeralTexts(user),
    async close() {
      await es.close();
      await stack.close();
      await proxy?.close();
    },
  };
}

/**
 * For a describe block whose tests each start their own harness: returns the starter and closes
 * every harness it started after each test.
 */
export function harnessesClosedAfterEach(): (opts?: Partial<LocalStackOptions>) => Promise<DrainHarness> {
  const opened: DrainHarness[] = [];
  afterEach(async () => {
    for (const h of opened.splice(0)) await h.close();
  });
  return async (opts) => {
    const h = await startDrainHarness(opts);
    opened.push(h);
    return h;
  };
}

/** Sets the simulator's fault on every ES endpoint (`{ mode: 'none' }` lifts it): see src/sim/es/http/faults.ts. */
export const setEsFault = (h: DrainHarness, spec: Record<string, unknown>) =>
  fetch(`${h.stack.es.url}/_sim/faults`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(spec),
  });
