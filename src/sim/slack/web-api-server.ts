import { EventEmitter } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SIM_DEFAULTS } from './defaults.js';
import { RateLimiter, type RateLimit } from './rate-limits.js';
import { FaultInjector, faultResponse } from './fault-injection.js';
import { webApiMethods } from './methods/index.js';
import { parseApiArgs, parseMultipart, readBody, tokenOf } from './request-body.js';
import { ResponseUrls } from './response-url.js';
import { connectionsOpen, type SocketModeServer } from './socket-mode-server.js';
import { SlackWorkspace, clone, type ChannelOptions, type UserInfo } from './workspace.js';
import type {
  Fault,
  FakeSlackEvents,
  Json,
  RecordedCall,
  RecordedResponse,
  StoredEphemeral,
  StoredFile,
  StoredMessage,
  StoredView,
} from './types.js';

export interface FakeSlackOptions {
  host?: string;
  port?: number;
  botToken?: string;
  teamId?: string;
  teamDomain?: string;
  botUserId?: string;
  botId?: string;
}

const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8' };

/**
 * A local stand-in for Slack's Web API, response URLs and file uploads, on loopback HTTP. The
 * bot talks to it through the real @slack/web-api client (`slackApiUrl = fake.apiUrl`); tests
 * and the local console read what the bot did from it, and inject Slack's failures into it.
 */
export class FakeSlack extends EventEmitter<FakeSlackEvents> {
  /** Every Web API call in arrival order, faulted ones included. */
  readonly calls: RecordedCall[] = [];
  private readonly ws: SlackWorkspace;
  private readonly responseUrls: ResponseUrls;
  private readonly faults = new FaultInjector();
  private limiter?: RateLimiter;
  private socketMode?: SocketModeServer;

  private constructor(
    private readonly server: Server,
    /** http://host:port/ */
    readonly baseUrl: string,
    readonly botToken: string,
    identity: { teamId: string; teamDomain: string; botUserId: string; botId: string },
  ) {
    super();
    // The workspace reports changes; the fake re-emits them to consoles and tests.
    const relay = this.emit.bind(this) as (event: string, ...args: unknown[]) => boolean;
    this.ws = new SlackWorkspace(identity, (event, ...args) => {
      relay(event, ...args);
    });
    this.responseUrls = new ResponseUrls(this.ws);
    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      this.route(req, res).catch((err: unknown) => {
        if (!res.headersSent) res.writeHead(500, JSON_HEADERS);
        res.end(JSON.stringify({ ok: false, error: 'fatal_error', detail: String(err) }));
      });
    });
  }

  static async start(opts: FakeSlackOptions = {}): Promise<FakeSlack> {
    const host = opts.host ?? '127.0.0.1';
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(opts.port ?? 0, host, () => resolve());
    });
    const { port } = server.address() as AddressInfo;
    const urlHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
    return new FakeSlack(server, `http://${urlHost}:${port}/`, opts.botToken ?? SIM_DEFAULTS.botToken, {
      teamId: opts.teamId ?? SIM_DEFAULTS.teamId,
      teamDomain: opts.teamDomain ?? SIM_DEFAULTS.teamDomain,
      botUserId: opts.botUserId ?? SIM_DEFAULTS.botUserId,
      botId: opts.botId ?? SIM_DEFAULTS.botId,
    });
  }

  /** What to give @slack/web-api as `slackApiUrl` (ends with a slash, as the client expects). */
  get apiUrl(): string {
    return `${this.baseUrl}api/`;
  }
  get teamId(): string {
    return this.ws.identity.teamId;
  }
  get botUserId(): string {
    return this.ws.identity.botUserId;
  }

  /** Posts to response URLs, in order. */
  get responses(): RecordedResponse[] {
    return clone(this.responseUrls.responses);
  }

  callsTo(method: string): RecordedCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  /** Top-level messages of a conversation as they are now (after updates and deletes), oldest first. */
  messages(channel: string): StoredMessage[] {
    return this.ws.topLevel(channel);
  }

  /** Replies in a thread, oldest first (without the parent). */
  thread(channel: string, ts: string): StoredMessage[] {
    return this.ws.replies(channel, ts);
  }

  ephemerals(channel: string, user?: string): StoredEphemeral[] {
    return this.ws.ephemerals(channel, user);
  }

  /** Uploaded files with their bytes (copied as Buffers: structuredClone would make Uint8Arrays). */
  files(): StoredFile[] {
    return [...this.ws.files.values()].map((f) => ({
      ...f,
      ...(f.content ? { content: Buffer.from(f.content) } : {}),
    }));
  }

  /** `user`'s App Home tab as the bot last published it (views.publish), if it did. */
  home(user: string): StoredView | undefined {
    const view = this.ws.homes.get(user);
    return view ? clone(view) : undefined;
  }

  views(): StoredView[] {
    return [...this.ws.views.values()].map(clone);
  }

  /** The response URL for an id (the driver makes ids; see responseUrlId). */
  responseUrl(id: string): string {
    return `${this.baseUrl}response/${id}`;
  }

  /** Sets who is in a user group (an approvers group, say) for usergroups.users.list. */
  setUsergroup(id: string, users: string[]): void {
    this.ws.usergroups.set(id, [...users]);
  }

  /** Gives a user a name (users.info invents one for any well-formed id otherwise). */
  addUser(user: Partial<UserInfo> & { id: string }): void {
    this.ws.users.set(user.id, {
      name: user.id.toLowerCase(),
      real_name: user.name ?? user.id,
      is_bot: false,
      ...user,
    });
  }

  /** A channel by name; `is_ext_shared` makes it a Slack Connect channel. */
  addChannel(id: string, name: string, opts: ChannelOptions = {}): void {
    this.ws.addChannel(id, name, opts);
  }

  /**
   * Answers the next `times` calls to `target` (a Web API method, or 'response_url' / 'upload')
   * with a fault instead: an HTTP 429 with Retry-After, an HTTP 500, or an `ok:false` error.
   */
  failNext(target: string, fault: Fault, times = 1): void {
    this.faults.add(target, fault, times);
  }

  /** Drops the faults still queued: Slack answers again (the end of an outage). */
  clearFaults(): void {
    this.faults.clear();
  }

  /**
   * From now on, answers calls over Slack's rate limits (see SLACK_RATE_LIMITS) with HTTP 429 and
   * Retry-After, as Slack does; such calls are recorded with `rateLimited`.
   */
  enforceRateLimits(limits?: Record<string, RateLimit>): void {
    this.limiter = new RateLimiter(limits);
  }

  /** From now on `apps.connections.open` (with the server's app-level token) hands out its URLs. */
  enableSocketMode(server: SocketModeServer): void {
    this.socketMode = server;
  }

  /** Forgets calls, messages, responses, faults, users and groups; keeps listening. */
  reset(): void {
    this.calls.length = 0;
    this.ws.reset();
    this.responseUrls.reset();
    this.faults.clear();
  }

  async close(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    // Clients keep connections alive; without this close() would wait for them to time out.
    this.server.closeAllConnections();
    await closed;
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.baseUrl);
    const [, area, name] = url.pathname.split('/');
    if (area === 'api' && name) return this.webApi(name, req, res, url);
    if (area === 'response' && name && req.method === 'POST') return this.response(name, req, res);
    if (area === 'upload' && name && req.method === 'POST') return this.upload(name, req, res);
    send(res, 404, { 'content-type': 'text/plain' }, 'not found');
  }

  private async webApi(method: string, req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const raw = await readBody(req);
    const parsed =
      req.method === 'GET'
        ? Object.fromEntries(url.searchParams)
        : await parseApiArgs(req.headers['content-type'], raw);
    const args: Json = parsed ?? {};
    const token = tokenOf(req.headers.authorization, args);
    delete args.token;
    const call: RecordedCall = { method, args, token, at: Date.now() };
    this.calls.push(call);

    const retryAfter = this.limiter?.take(method, args.channel, call.at);
    const fault = retryAfter !== undefined ? { status: 429 as const, retryAfter } : this.faults.take(method);
    if (retryAfter !== undefined) call.rateLimited = true;
    if (fault) {
      call.fault = fault;
      const f = faultResponse(fault);
      return send(res, f.status, f.headers, f.body);
    }
    const handler = webApiMethods[method];
    let result: Json;
    if (method === 'apps.connections.open') result = connectionsOpen(this.socketMode, token, this.botToken);
    else if (!handler) result = { ok: false, error: 'unknown_method' };
    else if (!parsed) result = { ok: false, error: 'invalid_form_data' };
    else if (!token) result = { ok: false, error: 'not_authed' };
    else if (token !== this.botToken) result = { ok: false, error: 'invalid_auth' };
    else result = handler(args, { ws: this.ws, baseUrl: this.baseUrl });
    // Slack answers errors with HTTP 200 too; only rate limits and outages change the status.
    send(res, 200, JSON_HEADERS, JSON.stringify(result));
  }

  private async response(id: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readBody(req);
    const fault = this.faults.take('response_url');
    if (fault) {
      const f = faultResponse(fault);
      return send(res, f.status, f.headers, f.body);
    }
    let body: unknown;
    try {
      body = JSON.parse(raw.toString('utf8'));
    } catch {
      body = undefined;
    }
    if (!body || typeof body !== 'object') return send(res, 400, { 'content-type': 'text/plain' }, 'invalid_payload');
    const outcome = this.responseUrls.handle(id, body as Json);
    if (!outcome.ok) return send(res, outcome.status, { 'content-type': 'text/plain' }, outcome.error);
    this.emit('response', clone(outcome.response));
    send(res, 200, { 'content-type': 'text/plain' }, 'ok');
  }

  private async upload(fileId: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readBody(req);
    const fault = this.faults.take('upload');
    if (fault) {
      const f = faultResponse(fault);
      return send(res, f.status, f.headers, f.body);
    }
    const file = this.ws.files.get(fileId);
    if (!file) return send(res, 404, { 'content-type': 'text/plain' }, 'file_not_found');
    const type = req.headers['content-type'] ?? '';
    if (type.startsWith('multipart/form-data')) {
      // @slack/web-api posts the bytes as one multipart file field; take the first part.
      const parts = Object.values(await parseMultipart(type, raw));
      const first = parts[0];
      file.content = Buffer.isBuffer(first) ? first : Buffer.from(typeof first === 'string' ? first : '');
    } else {
      file.content = raw;
    }
    send(res, 200, { 'content-type': 'text/plain' }, `OK - ${file.content.length}`);
  }
}

export function startFakeSlack(opts: FakeSlackOptions = {}): Promise<FakeSlack> {
  return FakeSlack.start(opts);
}

function send(res: ServerResponse, status: number, headers: Record<string, string>, body: string): void {
  res.writeHead(status, headers);
  res.end(body);
}
