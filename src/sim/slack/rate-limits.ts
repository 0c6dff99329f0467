/**
 * Slack's rate limits, as the stand-in enforces them when asked (FakeSlack.enforceRateLimits):
 * calls per minute per method for the workspace, over a sliding minute. chat.update is Tier 3
 * (about 50 a minute); chat.postMessage is "about one a second per channel, short bursts allowed",
 * modelled as 60 per channel over a sliding minute. A call over the limit gets HTTP 429 with
 * Retry-After: the seconds until the oldest call in the window leaves it.
 */
export const SLACK_RATE_LIMITS: Record<string, RateLimit> = {
  'chat.update': { perMinute: 50 },
  'chat.postMessage': { perMinute: 60, perChannel: true },
  'chat.postEphemeral': { perMinute: 100 },
  'views.publish': { perMinute: 100 },
};

export interface RateLimit {
  perMinute: number;
  /** The window is per channel (the call's `channel` argument), not per workspace. */
  perChannel?: boolean;
}

const MINUTE = 60_000;

export class RateLimiter {
  private readonly windows = new Map<string, number[]>();

  constructor(private readonly limits: Record<string, RateLimit> = SLACK_RATE_LIMITS) {}

  /** Counts the call if it is within its limit; otherwise returns the Retry-After seconds. */
  take(method: string, channel: unknown, now: number): number | undefined {
    const limit = this.limits[method];
    if (!limit) return undefined;
    const key = limit.perChannel ? `${method}:${typeof channel === 'string' ? channel : ''}` : method;
    const window = (this.windows.get(key) ?? []).filter((t) => t > now - MINUTE);
    this.windows.set(key, window);
    if (window.length >= limit.perMinute) return Math.max(1, Math.ceil((window[0]! + MINUTE - now) / 1000));
    window.push(now);
    return undefined;
  }
}
