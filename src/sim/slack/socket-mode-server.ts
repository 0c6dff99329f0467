import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import { SIM_DEFAULTS } from './defaults.js';
import type { Json } from './types.js';

/** The app-level token of the local app (Socket Mode connects with it, never with the bot token). */
export const SIM_APP_TOKEN = 'xapp-1-A0OPSBOT-local';

/** What Slack wraps a delivery in over Socket Mode. */
export type EnvelopeType = 'slash_commands' | 'interactive' | 'events_api';

export interface Envelope {
  envelope_id: string;
  type: EnvelopeType;
  payload: Json;
  accepts_response_payload: boolean;
  retry_attempt?: number;
  retry_reason?: string;
}

/** One envelope sent to the app, and what came back for it. */
export interface Delivery {
  envelopeId: string;
  type: EnvelopeType;
  /** ms since the epoch */
  sentAt: number;
  /** When `{envelope_id}` came back (late ones included). */
  ackedAt?: number;
  /** The ack's `payload`, when it had one (a response to a slash command, a view's response_action). */
  ackPayload?: Json;
  /** The ack timeout passed before the ack came: Slack counts it as not acked (a late ack included). */
  late?: boolean;
}

export interface SocketModeServerOptions {
  host?: string;
  /** The app-level token `apps.connections.open` must be called with. */
  appToken?: string;
  appId?: string;
  /** How long the app has to ack an envelope (Slack: 3 s). */
  ackTimeoutMs?: number;
  /** How often the server pings each connection (Slack does; the client watches for it). 0: never. */
  pingIntervalMs?: number;
}

/** A connection URL is good for one connection, as Slack's are, and only for a while. */
const TICKET_TTL_MS = 30_000;

/**
 * A local stand-in for Slack's Socket Mode endpoint: the Web API stand-in hands out its URLs from
 * `apps.connections.open` (see FakeSlack.enableSocketMode); an app connecting gets `hello`, then the
 * envelopes `deliver` sends, and must send `{envelope_id}` back within 3 s. Every delivery is kept
 * with its ack time, so a test can say that none went unacknowledged. It pings like Slack does;
 * the `ws` server answers the client's pings.
 */
export class SocketModeServer {
  readonly deliveries: Delivery[] = [];
  readonly appToken: string;
  private readonly tickets = new Map<string, number>();
  private readonly open = new Set<WebSocket>();
  private readonly waiting = new Map<string, (d: Delivery) => void>();
  private readonly pinger?: NodeJS.Timeout;
  private next = 0;
  private counter = 0;

  private constructor(
    private readonly http: Server,
    private readonly wss: WebSocketServer,
    /** ws://host:port */
    readonly baseUrl: string,
    private readonly opts: Required<Omit<SocketModeServerOptions, 'host'>>,
  ) {
    this.appToken = opts.appToken;
    http.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => this.upgrade(req, socket, head));
    if (opts.pingIntervalMs > 0) {
      this.pinger = setInterval(() => {
        for (const ws of this.open) ws.ping('ping');
      }, opts.pingIntervalMs).unref();
    }
  }

  static async start(opts: SocketModeServerOptions = {}): Promise<SocketModeServer> {
    const host = opts.host ?? '127.0.0.1';
    const http = createServer((_req, res) => {
      res.writeHead(426, { 'content-type': 'text/plain' }).end('upgrade required');
    });
    await new Promise<void>((resolve, reject) => {
      http.once('error', reject);
      http.listen(0, host, () => resolve());
    });
    const { port } = http.address() as AddressInfo;
    return new SocketModeServer(http, new WebSocketServer({ noServer: true }), `ws://${host}:${port}`, {
      appToken: opts.appToken ?? SIM_APP_TOKEN,
      appId: opts.appId ?? SIM_DEFAULTS.apiAppId,
      ackTimeoutMs: opts.ackTimeoutMs ?? 3000,
      pingIntervalMs: opts.pingIntervalMs ?? 10_000,
    });
  }

  /** A fresh one-time connection URL, what `apps.connections.open` answers with. */
  connectionUrl(): string {
    const ticket = randomBytes(12).toString('hex');
    this.tickets.set(ticket, Date.now() + TICKET_TTL_MS);
    return `${this.baseUrl}/link/?ticket=${ticket}&app_id=${this.opts.appId}`;
  }

  /** Open connections that got their hello. */
  get connections(): number {
    return this.open.size;
  }

  /** Deliveries not acked within the ack timeout (never, or too late), in the order they were sent. */
  unacked(): Delivery[] {
    const now = Date.now();
    // `late` is set by the timer that gave up on the ack, so an ack just after it counts as late
    // even within the clock's millisecond (timers may fire a little before Date.now() says).
    return this.deliveries.filter((d) =>
      d.ackedAt === undefined ? d.late || now - d.sentAt >= this.opts.ackTimeoutMs : d.late,
    );
  }

  /**
   * Sends one envelope to one open connection (round robin, as Slack spreads them) and waits for
   * its ack, at most the ack timeout: the delivery comes back with ackedAt unset when none came.
   */
  async deliver(
    type: EnvelopeType,
    payload: Json,
    opts: { retryAttempt?: number; retryReason?: string } = {},
  ): Promise<Delivery> {
    const sockets = [...this.open];
    if (!sockets.length) throw new Error('no Socket Mode connection is open: start the app first');
    const ws = sockets[this.next++ % sockets.length]!;
    const envelope: Envelope = {
      envelope_id: `${Date.now().toString(16)}-${(++this.counter).toString(16)}-${randomBytes(4).toString('hex')}`,
      type,
      payload,
      accepts_response_payload: type !== 'events_api',
      ...(opts.retryAttempt !== undefined ? { retry_attempt: opts.retryAttempt } : {}),
      ...(opts.retryReason !== undefined ? { retry_reason: opts.retryReason } : {}),
    };
    const delivery: Delivery = { envelopeId: envelope.envelope_id, type, sentAt: Date.now() };
    this.deliveries.push(delivery);
    const acked = new Promise<Delivery>((resolve) => {
      const timer = setTimeout(() => {
        delivery.late = true;
        this.waiting.delete(delivery.envelopeId);
        resolve(delivery);
      }, this.opts.ackTimeoutMs);
      this.waiting.set(delivery.envelopeId, (d) => {
        clearTimeout(timer);
        resolve(d);
      });
    });
    ws.send(JSON.stringify(envelope));
    return acked;
  }

  /** Slack's `disconnect` message (it recycles the connection's host): the app should reconnect. */
  disconnectAll(reason = 'refresh_requested'): void {
    for (const ws of this.open) ws.send(JSON.stringify({ type: 'disconnect', reason, debug_info: { host: 'local' } }));
  }

  async close(): Promise<void> {
    if (this.pinger) clearInterval(this.pinger);
    for (const ws of this.open) ws.terminate();
    this.open.clear();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
    this.http.closeAllConnections();
    await new Promise<void>((resolve) => this.http.close(() => resolve()));
  }

  private upgrade(req: IncomingMessage, socket: Socket, head: Buffer): void {
    const url = new URL(req.url ?? '/', 'http://socket-mode.invalid');
    const ticket = url.searchParams.get('ticket') ?? '';
    const expires = this.tickets.get(ticket);
    this.tickets.delete(ticket);
    if (!url.pathname.startsWith('/link') || expires === undefined || expires < Date.now()) {
      socket.end('HTTP/1.1 401 Unauthorized\r\nconnection: close\r\ncontent-length: 0\r\n\r\n');
      return;
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => this.connected(ws));
  }

  private connected(ws: WebSocket): void {
    this.open.add(ws);
    ws.on('close', () => this.open.delete(ws));
    ws.on('error', () => this.open.delete(ws));
    ws.on('message', (data: RawData, isBinary: boolean) => {
      if (!isBinary) this.acked(textOf(data));
    });
    ws.send(
      JSON.stringify({
        type: 'hello',
        num_connections: this.open.size,
        debug_info: { host: 'local', build_number: 1, approximate_connection_time: 18060 },
        connection_info: { app_id: this.opts.appId },
      }),
    );
  }

  private acked(text: string): void {
    let msg: unknown;
    try {
      msg = JSON.parse(text);
    } catch {
      return;
    }
    if (!msg || typeof msg !== 'object') return;
    const { envelope_id: id, payload } = msg as { envelope_id?: unknown; payload?: unknown };
    const delivery = typeof id === 'string' ? this.deliveries.find((d) => d.envelopeId === id) : undefined;
    if (!delivery || delivery.ackedAt !== undefined) return;
    delivery.ackedAt = Date.now();
    if (payload && typeof payload === 'object' && Object.keys(payload).length) delivery.ackPayload = payload as Json;
    this.waiting.get(delivery.envelopeId)?.(delivery);
    this.waiting.delete(delivery.envelopeId);
  }
}

/** A text frame's bytes as a string (ws hands over a Buffer, fragments, or an ArrayBuffer). */
function textOf(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.isBuffer(data) ? data.toString('utf8') : Buffer.from(new Uint8Array(data)).toString('utf8');
}

/**
 * `apps.connections.open` as Slack answers it: a fresh WebSocket URL for the app-level token; a
 * bot token is the wrong kind of token; with Socket Mode off for the app, none is handed out.
 */
export function connectionsOpen(
  server: SocketModeServer | undefined,
  token: string | undefined,
  botToken: string,
): Json {
  if (!token) return { ok: false, error: 'not_authed' };
  if (token === botToken) return { ok: false, error: 'not_allowed_token_type' };
  if (!server || token !== server.appToken) return { ok: false, error: 'invalid_auth' };
  return { ok: true, url: server.connectionUrl() };
}
