import { inject } from 'vitest';
import { startLocalStack, type LocalStack, type LocalStackOptions } from '../../../src/main/local-stack.js';
import { startConsoleServer, type ConsoleServer } from '../../../src/sim/console/index.js';
import { generateCluster } from '../../../src/sim/es/index.js';
import { ChannelView } from '../../../src/sim/slack/index.js';
import { LOCAL_CHANNEL, LOCAL_USERS } from '../../../src/sim/terminal-client.js';

export const USERS = [
  { name: 'alice', id: LOCAL_USERS.alice!, role: 'requests' },
  { name: 'bob', id: LOCAL_USERS.bob!, role: 'approves' },
  { name: 'carol', id: LOCAL_USERS.carol!, role: 'approves' },
];

export interface ConsoleStack {
  stack: LocalStack;
  console: ConsoleServer;
  /** The console's channel as the Slack stand-in holds it now. */
  view: ChannelView;
  /** GET /_sim/state of the simulator, as JSON. */
  simState(): Promise<{ speed: number; nodes: Array<{ name: string; shards: number }> }>;
  close(): Promise<void>;
}

/** Six nodes in the three zones, 600 shard copies, 60 GB: a drain takes seconds at a high speed. */
export function smallCluster() {
  return generateCluster({
    seed: 7,
    nodes: 6,
    shards: 600,
    totalBytes: 60 * 1024 ** 3,
    zones: { primary: 0.34, secondary: 0.33, spot: 0.33 },
  });
}

let counter = 0;

/** The bot behind its real receiver, the stand-ins, and the console page server in front of them. */
export async function startConsoleStack(opts: Partial<LocalStackOptions> = {}): Promise<ConsoleStack> {
  const stack = await startLocalStack({
    redisUrl: inject('redisUrl'),
    prefix: `console${process.pid}-${++counter}-${Date.now()}`,
    cluster: smallCluster(),
    speed: 20,
    tickMs: 20,
    estate: { approvers: { users: [LOCAL_USERS.bob!, LOCAL_USERS.carol!] } },
    drainTiming: { pollMs: 150, stallAfterMs: 120_000 },
    cardUpdates: { perMessageMs: 250, globalGapMs: 0 },
    ...opts,
  });
  const server = await startConsoleServer({
    port: 0,
    slack: stack.slack,
    driver: stack.driver,
    simulatorUrl: stack.es.url,
    channel: { id: LOCAL_CHANNEL, name: 'ops' },
    users: USERS,
  });
  return {
    stack,
    console: server,
    view: new ChannelView(stack.slack, LOCAL_CHANNEL),
    async simState() {
      return (await (await fetch(`${stack.es.url}/_sim/state`)).json()) as Awaited<
        ReturnType<ConsoleStack['simState']>
      >;
    },
    async close() {
      await server.close();
      await stack.close();
    },
  };
}
