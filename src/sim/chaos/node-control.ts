import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DEFAULT_RESTART_DELAY_MS, type SimCluster } from '../es/index.js';

export type NodeAction = 'stop' | 'start' | 'restart';

/** Told of every node command the bot sends, before it acts on the cluster (I1 is judged there). */
export type BotActionListener = (node: string, action: NodeAction) => void;

/**
 * What a node's init system does when the bot's SSH command reaches it (`curl .../nodes/NODE/_stop`),
 * with two faults of real machines: a command that hangs (a half-open SSH connection: nothing
 * happens, nothing answers) and a node that never comes back however often it is started.
 */
export class NodeControl {
  /** Nodes whose next command hangs. */
  private readonly hangs = new Set<string>();
  /** Nodes that are gone for good: a start or restart leaves them down. */
  private readonly dead = new Set<string>();
  private readonly held = new Set<ServerResponse>();
  private readonly server = createServer((req, res) => this.handle(req.method ?? '', req.url ?? '', res));
  private port = 0;
  readonly actions: string[] = [];

  constructor(
    private readonly cluster: SimCluster,
    private readonly onBotAction: BotActionListener,
  ) {}

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', () => resolve()));
    this.port = (this.server.address() as AddressInfo).port;
  }

  /** The base URL the command templates curl. */
  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Templates for opsbot.yaml's `commands`, as the node's `service elasticsearch ...` would be. */
  commands(): Record<NodeAction, string> {
    return {
      stop: `curl -sf -X POST ${this.url}/nodes/{node}/_stop`,
      start: `curl -sf -X POST ${this.url}/nodes/{node}/_start`,
      restart: `curl -sf -X POST '${this.url}/nodes/{node}/_restart?delay_ms=20000'`,
    };
  }

  hangNext(node: string): void {
    this.hangs.add(node);
  }

  killForGood(node: string): void {
    this.dead.add(node);
  }

  isDead(node: string): boolean {
    return this.dead.has(node);
  }

  async close(): Promise<void> {
    for (const res of this.held) res.destroy();
    this.held.clear();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private handle(method: string, url: string, res: ServerResponse): void {
    const m = /^\/nodes\/([A-Za-z0-9._-]+)\/_(stop|start|restart)(?:\?delay_ms=(\d+))?$/.exec(url);
    if (method !== 'POST' || !m) {
      res.writeHead(404).end('no such node command');
      return;
    }
    const [, node, action, delay] = m as unknown as [string, string, NodeAction, string | undefined];
    if (this.hangs.delete(node)) {
      this.actions.push(`${action} ${node} (hung)`);
      this.held.add(res);
      return;
    }
    try {
      this.cluster.nodeByName(node);
    } catch {
      res.writeHead(404).end(`no node ${node}`);
      return;
    }
    this.actions.push(`${action} ${node}`);
    this.onBotAction(node, action);
    if (action === 'stop') this.cluster.stopNode(node);
    else if (this.dead.has(node)) this.cluster.stopNode(node);
    else if (action === 'start') this.cluster.startNode(node);
    else this.cluster.restartNode(node, delay === undefined ? DEFAULT_RESTART_DELAY_MS : Number(delay));
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ acknowledged: true, node }));
  }
}
