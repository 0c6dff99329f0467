import type { AnyMiddlewareArgs, Middleware } from '@slack/bolt';
import type { Logger } from '../log.js';
import type { SeenRequests } from './request-freshness.js';

/**
 * How long an Events API delivery is remembered. Slack retries an event it thinks was not
 * acknowledged (no ack within 3 s, a dropped connection) up to three times over about an hour,
 * with the same `event_id`, over HTTP (X-Slack-Retry-Num) and over Socket Mode (retry_attempt).
 */
export const EVENT_MEMORY_S = 2 * 3600;

/**
 * Each Events API delivery handled once, by any web process: a redelivery (same `event_id`) is
 * dropped after Bolt's ack, before any listener runs. The signature check cannot catch these (a
 * retry is signed anew, and a Socket Mode envelope carries no signature), so the event's own id
 * is kept, in the same Redis set of sightings as the signatures.
 */
export function onceEachEvent(seen: SeenRequests, log: Logger): Middleware<AnyMiddlewareArgs> {
  return async (args) => {
    const eventId = (args.body as { event_id?: unknown }).event_id;
    if (typeof eventId === 'string' && !(await seen.firstSighting(`event:${eventId}`, EVENT_MEMORY_S))) {
      const { retryNum, retryReason } = args.context as { retryNum?: number; retryReason?: string };
      log.info({ eventId, retryNum, retryReason }, 'Slack delivered an event again: handled once already');
      return;
    }
    await args.next();
  };
}
