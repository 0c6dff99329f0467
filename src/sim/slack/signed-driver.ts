import { SIM_DEFAULTS } from './defaults.js';
import {
  blockActionsPayload,
  slashCommandFields,
  viewSubmissionPayload,
  type Actor,
  type AppContext,
  type ClickedAction,
  type ClickedMessage,
  type ClickedView,
  type SubmittedView,
  viewBlockActionsPayload,
} from './interaction-payloads.js';
import { slackSignature } from './request-signature.js';
import { responseUrlId } from './response-url.js';

export { findButton, listButtons } from './find-button.js';
export type { Actor, ClickedAction, ClickedMessage, ClickedView, SubmittedView } from './interaction-payloads.js';

export interface SlackDriverOptions {
  /** The bot's request URL, e.g. http://127.0.0.1:P/slack/events */
  eventsUrl: string;
  signingSecret: string;
  teamId?: string;
  teamDomain?: string;
  apiAppId?: string;
  /** The fake's baseUrl: response URLs are made under it. */
  responseUrlBase?: string;
}

export interface SendOptions {
  /** Unix seconds to sign with and send (an old one makes a replayed-looking request). */
  timestamp?: number;
  /** Sign with the wrong secret, as a forger would. */
  badSignature?: boolean;
  /** Slack's retry headers, sent when it got no 2xx within 3 s. */
  retryNum?: number;
  retryReason?: string;
}

export interface DriverResponse {
  status: number;
  body: string;
  /** The body parsed, when it was JSON (e.g. an ack with a message or response_action). */
  json?: unknown;
}

export interface InteractionResponse extends DriverResponse {
  /** The id of the response URL handed to the bot: find its posts in fake.responses. */
  responseUrlId: string;
}

// A response URL that cannot be reached: without a fake, respond() fails loudly instead of
// posting somewhere real.
const UNREACHABLE_RESPONSE_BASE = 'http://response-url.invalid/';

/**
 * Sends what Slack sends to the bot's request URL: slash commands, button clicks and modal
 * submissions, form-encoded and signed with the signing secret, so they pass through Bolt's real
 * receiver and its signature and freshness checks.
 */
export class SlackDriver {
  private readonly app: AppContext;
  private readonly responseUrlBase: string;

  constructor(private readonly opts: SlackDriverOptions) {
    this.app = {
      teamId: opts.teamId ?? SIM_DEFAULTS.teamId,
      teamDomain: opts.teamDomain ?? SIM_DEFAULTS.teamDomain,
      apiAppId: opts.apiAppId ?? SIM_DEFAULTS.apiAppId,
      verificationToken: 'legacy-verification-token',
    };
    const base = opts.responseUrlBase ?? UNREACHABLE_RESPONSE_BASE;
    this.responseUrlBase = base.endsWith('/') ? base : `${base}/`;
  }

  /** `/cmd text` typed by `who` in `who.channel_id`. */
  async command(cmd: string, text: string, who: Actor, opts: SendOptions = {}): Promise<InteractionResponse> {
    const { body, responseUrlId: id } = this.commandBody(cmd, text, who);
    const res = await this.send(body, opts);
    return { ...res, responseUrlId: id };
  }

  /**
   * The form body of one slash command invocation (one trigger_id): send it twice, the second
   * time with `retryNum`, to play a Slack retry of the same delivery.
   */
  commandBody(cmd: string, text: string, who: Actor): { body: string; responseUrlId: string } {
    const id = responseUrlId({ channel: who.channel_id, user: who.user_id });
    const fields = slashCommandFields(this.app, cmd, text, who, this.responseUrl(id));
    return { body: new URLSearchParams(fields).toString(), responseUrlId: id };
  }

  /** A click on a button of `message` (pass the blocks the bot rendered: the button must be there). */
  async click(
    action: ClickedAction,
    who: Actor,
    message: ClickedMessage,
    opts: SendOptions = {},
  ): Promise<InteractionResponse> {
    const id = responseUrlId({ channel: message.channel, user: who.user_id, message_ts: message.ts });
    const payload = blockActionsPayload(this.app, action, who, message, this.responseUrl(id));
    const res = await this.send(new URLSearchParams({ payload: JSON.stringify(payload) }).toString(), opts);
    return { ...res, responseUrlId: id };
  }

  /** A click on a button of a view: the person's Home tab (or a modal's section), as the bot published it. */
  async clickInView(
    action: ClickedAction,
    who: Actor,
    view: ClickedView,
    opts: SendOptions = {},
  ): Promise<DriverResponse> {
    const payload = viewBlockActionsPayload(this.app, action, who, view);
    return this.send(new URLSearchParams({ payload: JSON.stringify(payload) }).toString(), opts);
  }

  /** Submit pressed on a modal with these input values. */
  async submitView(view: SubmittedView, who: Actor, opts: SendOptions = {}): Promise<DriverResponse> {
    const payload = viewSubmissionPayload(this.app, view, who);
    return this.send(new URLSearchParams({ payload: JSON.stringify(payload) }).toString(), opts);
  }

  /** An Events API delivery (JSON, signed): e.g. `{ type: 'app_home_opened', user, tab: 'home' }`. */
  async event(event: Record<string, unknown>, opts: SendOptions & { eventId?: string } = {}): Promise<DriverResponse> {
    const { eventId, ...send } = opts;
    const body = JSON.stringify({
      token: this.app.verificationToken,
      team_id: this.app.teamId,
      api_app_id: this.app.apiAppId,
      type: 'event_callback',
      // A redelivery (retryNum) carries the first delivery's id.
      event_id: eventId ?? `Ev${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`.toUpperCase(),
      event_time: Math.floor(Date.now() / 1000),
      event: { event_ts: `${Date.now() / 1000}`, ...event },
    });
    return this.send(body, { ...send, contentType: 'application/json' });
  }

  /** Posts a form body to the request URL, signed as Slack signs it. */
  async send(rawBody: string, opts: SendOptions & { contentType?: string } = {}): Promise<DriverResponse> {
    const timestamp = opts.timestamp ?? Math.floor(Date.now() / 1000);
    const secret = opts.badSignature ? `${this.opts.signingSecret}-forged` : this.opts.signingSecret;
    const headers: Record<string, string> = {
      'content-type': opts.contentType ?? 'application/x-www-form-urlencoded',
      'x-slack-request-timestamp': String(timestamp),
      'x-slack-signature': slackSignature(secret, timestamp, rawBody),
    };
    if (opts.retryNum !== undefined) headers['x-slack-retry-num'] = String(opts.retryNum);
    if (opts.retryReason !== undefined) headers['x-slack-retry-reason'] = opts.retryReason;
    const res = await fetch(this.opts.eventsUrl, { method: 'POST', headers, body: rawBody });
    const body = await res.text();
    let json: unknown;
    if (body) {
      try {
        json = JSON.parse(body);
      } catch {
        json = undefined;
      }
    }
    return { status: res.status, body, ...(json !== undefined ? { json } : {}) };
  }

  private responseUrl(id: string): string {
    return `${this.responseUrlBase}response/${id}`;
  }
}
