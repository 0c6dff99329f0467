import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FakeSlack, SlackDriver } from '../slack/index.js';
import { ConsoleActions, type ActionOutcome, type ConsoleUser } from './console-actions.js';
import { ConsoleFeed } from './console-feed.js';
import { ClusterView } from './cluster-view.js';
import { readStatic, staticDir } from './static-files.js';
import { scalarText } from '../scalar-text.js';

export interface ConsoleDeps {
  /** The Slack stand-in the bot posts to: what the page shows comes from here. */
  slack: FakeSlack;
  /** Signs what the page's user does and sends it to the bot's real receiver. */
  driver: SlackDriver;
  /** The cluster simulator's URL, for its /_sim/state and /_sim/speed. */
  simulatorUrl: string;
  channel: { id: string; name: string };
  users: ConsoleUser[];
  /** Shown in the sidebar. */
  workspace?: string;
}

export interface ListenOptions {
  /** 0 picks a free port (tests); local mode uses OPSBOT_CONSOLE_PORT, default 3100. */
  port: number;
  host?: string;
}

/** The console's port is taken: most often local mode is already running. */
export class ConsolePortInUseError extends Error {
  constructor(
    readonly port: number,
    host: string,
  ) {
    super(
      `port ${port} on ${host} is in use: local mode may already be running (open http://${host}:${port}/), or set OPSBOT_CONSOLE_PORT to a free port`,
    );
    this.name = 'ConsolePortInUseError';
  }
}

const MAX_BODY = 64 * 1024;

/** A request the page should not have sent (too large, not JSON): answered 400, not 500. */
class BadRequest extends Error {}

/**
 * The console page's server: the static page, the channel as JSON and as a live event stream,
 * and the endpoints the page calls when its user types a command, presses a button or submits
 * a modal. It listens before it has anything to serve, so that local mode can claim its port
 * (and fail on a taken one) before starting Redis and the rest.
 */
export class ConsoleServer {
  private feed: ConsoleFeed | undefined;
  private actions: ConsoleActions | undefined;
  private cluster: ClusterView | undefined;
  private deps: ConsoleDeps | undefined;
  private readonly files = staticDir();

  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {
    server.on('request', (req, res) => {
      this.route(req, res).catch((err: unknown) =>
        json(res, err instanceof BadRequest ? 400 : 500, { ok: false, error: (err as Error).message }),
      );
    });
  }

  static async listen(opts: ListenOptions): Promise<ConsoleServer> {
    const host = opts.host ?? '127.0.0.1';
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', (err: NodeJS.ErrnoException) =>
        reject(err.code === 'EADDRINUSE' ? new ConsolePortInUseError(opts.port, host) : err),
      );
      server.listen(opts.port, host, () => resolve());
    });
    const { port } = server.address() as AddressInfo;
    return new ConsoleServer(server, `http://${host.includes(':') ? `[${host}]` : host}:${port}/`);
  }

  /** Starts serving the channel of this Slack stand-in. */
  attach(deps: ConsoleDeps): this {
    this.deps = deps;
    this.feed = new ConsoleFeed(deps.slack, deps.channel.id);
    this.actions = new ConsoleActions(deps.slack, deps.driver, this.feed, deps.channel, deps.users);
    this.cluster = new ClusterView(deps.simulatorUrl);
    return this;
  }

  async close(): Promise<void> {
    this.feed?.close();
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    // Open event streams and keep-alive sockets would hold close() until they time out.
    this.server.closeAllConnections();
    await closed;
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://console');
    const path = url.pathname;
    if (req.method === 'GET' && (path === '/' || path.startsWith('/static/'))) {
      const file = await readStatic(this.files, path);
      if (!file) return text(res, 404, 'not found');
      res.writeHead(200, { 'content-type': file.type, 'cache-control': 'no-store' });
      res.end(file.body);
      return;
    }
    if (!path.startsWith('/api/')) return text(res, 404, 'not found');
    const { deps, feed, actions, cluster } = this;
    if (!deps || !feed || !actions || !cluster)
      return json(res, 503, { ok: false, error: 'local mode is still starting' });

    const fileId = /^\/api\/files\/([A-Z0-9]+)$/.exec(path)?.[1];
    if (req.method === 'GET' && fileId) {
      // A snippet the bot shared (a long command output): shown as text, as Slack previews it.
      const file = deps.slack.files().find((f) => f.id === fileId && f.completed);
      if (!file?.content) return text(res, 404, 'no such file');
      return text(res, 200, file.content.toString('utf8'));
    }
    // Another site open in the same browser can post forms to localhost, but not JSON without a
    // CORS preflight this server never grants: requiring JSON keeps other pages from acting here.
    if (req.method !== 'GET' && !(req.headers['content-type'] ?? '').startsWith('application/json')) {
      return json(res, 415, { ok: false, error: 'send JSON (content-type: application/json)' });
    }
    const route = `${req.method} ${path}`;
    switch (route) {
      case 'GET /api/state':
        return json(res, 200, {
          workspace: deps.workspace ?? 'opsbot (local)',
          channel: deps.channel,
          users: deps.users,
          bot: { id: deps.slack.botUserId, name: 'opsbot' },
          ...feed.snapshot(),
        });
      case 'GET /api/events':
        return feed.subscribe(res);
      case 'GET /api/cluster':
        return json(res, 200, await cluster.summary());
      case 'PUT /api/speed': {
        const body = await readJson(req);
        const factor = Number(body.factor);
        if (!Number.isFinite(factor) || factor < 0)
          return json(res, 400, { ok: false, error: 'speed must be a number >= 0' });
        return json(res, 200, { ok: true, speed: await cluster.setSpeed(factor) });
      }
      case 'POST /api/command': {
        const body = await readJson(req);
        return outcome(res, await actions.command(bodyText(body.user), bodyText(body.text)));
      }
      case 'POST /api/click': {
        const body = await readJson(req);
        return outcome(
          res,
          await actions.click(bodyText(body.user), {
            ts: bodyText(body.ts),
            action_id: bodyText(body.action_id),
            ephemeral: body.ephemeral === true,
            ...(typeof body.block_id === 'string' ? { block_id: body.block_id } : {}),
            ...(typeof body.value === 'string' ? { value: body.value } : {}),
          }),
        );
      }
      case 'POST /api/home/open': {
        const body = await readJson(req);
        return outcome(res, await actions.openHome(bodyText(body.user)));
      }
      case 'POST /api/home/click': {
        const body = await readJson(req);
        return outcome(
          res,
          await actions.clickHome(bodyText(body.user), {
            action_id: bodyText(body.action_id),
            ...(typeof body.block_id === 'string' ? { block_id: body.block_id } : {}),
          }),
        );
      }
      case 'POST /api/views/submit': {
        const body = await readJson(req);
        const values = (body.values && typeof body.values === 'object' ? body.values : {}) as Record<
          string,
          Record<string, string>
        >;
        return outcome(res, await actions.submitView(bodyText(body.user), { view_id: bodyText(body.view_id), values }));
      }
      case 'POST /api/views/close': {
        const body = await readJson(req);
        return outcome(res, actions.closeView(bodyText(body.view_id)));
      }
      default:
        return json(res, 404, { ok: false, error: `no such endpoint: ${route}` });
    }
  }
}

/** Listens on `port` and serves the channel at once: what tests use. */
export async function startConsoleServer(opts: ListenOptions & ConsoleDeps): Promise<ConsoleServer> {
  const server = await ConsoleServer.listen(opts);
  return server.attach(opts);
}

/** A field of a request body as text; absent (or null) is ''. */
function bodyText(value: unknown): string {
  return value === undefined || value === null ? '' : scalarText(value);
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new BadRequest('request body too large');
    chunks.push(chunk as Buffer);
  }
  if (!size) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new BadRequest('the request body must be JSON');
  }
  return parsed && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : {};
}

function outcome(res: ServerResponse, o: ActionOutcome): void {
  if (o.ok) json(res, 200, { ok: true });
  else json(res, o.status, { ok: false, error: o.error, ...(o.errors ? { errors: o.errors } : {}) });
}

function json(res: ServerResponse, status: number, body: unknown): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}

function text(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' });
  res.end(body);
}
