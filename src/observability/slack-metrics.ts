import { webApi } from '@slack/bolt';
import type { Logger } from '../log.js';
import type { BotMetrics } from './metrics.js';

type WebClient = InstanceType<typeof webApi.WebClient>;
/** The `fetch` a WebClient accepts (WebClientOptions.fetch). */
export type SlackFetch = NonNullable<ConstructorParameters<typeof webApi.WebClient>[1]>['fetch'] & {};

/**
 * The Web API method of a request URL (".../api/chat.update" → "chat.update"). Anything else
 * (a file upload URL) becomes "other", so the method label stays a short, known list.
 */
export function slackMethodOf(url: string | URL): string {
  const path = typeof url === 'string' ? new URL(url, 'http://x').pathname : url.pathname;
  const last = path.slice(path.lastIndexOf('/') + 1);
  return /^[a-z]+(\.[a-zA-Z]+)+$/.test(last) ? last : 'other';
}

/**
 * A fetch for WebClients (the bot's and Bolt's) that counts every HTTP request by Web API method
 * and status, 429s apart, and times it. Counting at the HTTP level sees the client's own
 * retries too, which is what Slack's rate limiter sees.
 */
export function countingSlackFetch(metrics: BotMetrics, inner: SlackFetch = globalThis.fetch): SlackFetch {
  return async (url, init) => {
    const method = slackMethodOf(url);
    const end = metrics.slackDuration.startTimer({ method });
    try {
      const res = await inner(url, init);
      metrics.slackRequests.inc({ method, status: String(res.status) });
      if (res.status === 429) metrics.slackRateLimited.inc({ method });
      return res;
    } catch (err) {
      metrics.slackRequests.inc({ method, status: 'error' });
      throw err;
    } finally {
      end();
    }
  };
}

/** A warning line when Slack rate-limits the bot's client: the client waits Retry-After by itself. */
export function logRateLimits(client: WebClient, log: Logger): void {
  client.on(webApi.WebClientEvent.RATE_LIMITED, (retrySec: number, info?: { url?: string }) => {
    log.warn(
      { retryAfterSec: retrySec, method: info?.url ? slackMethodOf(info.url) : undefined },
      'Slack rate-limited the bot; waiting Retry-After',
    );
  });
}
