import type { AnyMiddlewareArgs, HTTPReceiverOptions, Middleware } from '@slack/bolt';
import type { Redis } from 'ioredis';
import type { Logger } from '../log.js';

/**
 * Slack's freshness window: Bolt refuses a signed request older than this, and this module refuses
 * one dated further ahead and one whose signature was already seen within it.
 */
export const FRESHNESS_WINDOW_S = 5 * 60;

/** Signatures seen lately, shared by every web process (in Redis), so a replay is caught by any of them. */
export interface SeenRequests {
  /** True the first time this signature is offered within `ttlSeconds`; false for every later time. */
  firstSighting(signature: string, ttlSeconds: number): Promise<boolean>;
}

/** SET NX with an expiry: one round trip, atomic across processes. */
export class RedisSeenRequests implements SeenRequests {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  async firstSighting(signature: string, ttlSeconds: number): Promise<boolean> {
    return (await this.redis.set(`${this.prefix}:${signature}`, '1', 'EX', ttlSeconds, 'NX')) === 'OK';
  }
}

/** What the receiver hands every listener of a request: its signing headers, for the check below. */
export interface SignedHeaders {
  slackTimestamp?: string;
  slackSignature?: string;
}

/** The receiver's hook: copies the signing headers into the request's context. */
export const signedHeaders: NonNullable<HTTPReceiverOptions['customPropertiesExtractor']> = (req) => {
  const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);
  const props: SignedHeaders = {};
  const ts = one(req.headers['x-slack-request-timestamp']);
  const sig = one(req.headers['x-slack-signature']);
  if (ts !== undefined) props.slackTimestamp = ts;
  if (sig !== undefined) props.slackSignature = sig;
  return props;
};

/** A signed request refused as stale or replayed: the receiver answers 401 and nothing runs. */
export class StaleRequestError extends Error {
  /** Bolt keeps coded errors as they are; the receiver's error handler recognises this code. */
  readonly code = 'opsbot_stale_request';
}

export const isStaleRequest = (err: unknown): boolean =>
  (err as { code?: unknown } | undefined)?.code === 'opsbot_stale_request';

/**
 * Runs after Bolt has verified the signature and refused requests older than the window. Refuses
 * what Bolt lets through: a timestamp more than the window in the future (a request signed ahead
 * of time and held back), and the same signed request a second time (a replay, or a duplicate
 * delivery, within the window). Socket Mode requests carry no signature and are not checked.
 */
export function requestFreshness(
  seen: SeenRequests,
  log: Logger,
  now: () => number = Date.now,
): Middleware<AnyMiddlewareArgs> {
  return async (args) => {
    const { slackTimestamp, slackSignature } = args.context as SignedHeaders;
    if (slackSignature === undefined) {
      await args.next();
      return;
    }
    const ts = Number(slackTimestamp);
    const ahead = ts - Math.floor(now() / 1000);
    if (!Number.isFinite(ts) || ahead > FRESHNESS_WINDOW_S) {
      log.warn({ ahead }, 'signed request dated in the future refused');
      throw new StaleRequestError(`request timestamp ${ahead}s in the future`);
    }
    // The signature covers the timestamp and the body: the same one twice is the same request.
    if (!(await seen.firstSighting(slackSignature, 2 * FRESHNESS_WINDOW_S))) {
      log.warn('signed request seen before refused (replay)');
      throw new StaleRequestError('request replayed');
    }
    await args.next();
  };
}
