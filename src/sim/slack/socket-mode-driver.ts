import { SlackDriver, type DriverResponse, type SendOptions } from './signed-driver.js';
import type { SocketModeServer } from './socket-mode-server.js';
import type { Json } from './types.js';

export interface SocketModeDriverOptions {
  socket: SocketModeServer;
  teamId?: string;
  teamDomain?: string;
  apiAppId?: string;
  /** The fake's baseUrl: response URLs are made under it. */
  responseUrlBase?: string;
}

/**
 * The signed driver's twin for Socket Mode: the same slash commands, clicks, modal submissions and
 * events (the same payloads, built by SlackDriver), delivered as envelopes over the app's WebSocket
 * instead of signed HTTP posts. Answers 200 with the ack's payload when the app acked within 3 s,
 * 504 when it did not.
 */
export class SocketModeDriver extends SlackDriver {
  private readonly socket: SocketModeServer;

  constructor(opts: SocketModeDriverOptions) {
    // Nothing is posted or signed: Socket Mode envelopes carry no signature.
    super({ ...opts, eventsUrl: opts.socket.baseUrl, signingSecret: '' });
    this.socket = opts.socket;
  }

  override async send(rawBody: string, opts: SendOptions & { contentType?: string } = {}): Promise<DriverResponse> {
    const delivery = await this.socket.deliver(...envelopeOf(rawBody, opts.contentType), {
      ...(opts.retryNum !== undefined ? { retryAttempt: opts.retryNum } : {}),
      ...(opts.retryReason !== undefined ? { retryReason: opts.retryReason } : {}),
    });
    if (delivery.ackedAt === undefined) return { status: 504, body: 'no ack within 3 s' };
    const json = delivery.ackPayload;
    return { status: 200, body: json ? JSON.stringify(json) : '', ...(json ? { json } : {}) };
  }
}

/** An HTTP body as an envelope: Events API JSON, an interaction's payload, or a slash command's fields. */
function envelopeOf(
  rawBody: string,
  contentType: string | undefined,
): ['events_api' | 'interactive' | 'slash_commands', Json] {
  if (contentType === 'application/json') return ['events_api', JSON.parse(rawBody) as Json];
  const form = new URLSearchParams(rawBody);
  const payload = form.get('payload');
  if (payload !== null) return ['interactive', JSON.parse(payload) as Json];
  return ['slash_commands', Object.fromEntries(form)];
}
