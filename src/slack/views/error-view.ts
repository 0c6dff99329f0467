import type { Refusal } from '../../runbooks/index.js';
import { scrubSecrets } from '../../log.js';
import { context, escapeMrkdwn, section, type SlackMessage } from './blocks.js';

/** A usage error: what was wrong, then the usage lines. */
export function usageView(error: string, usage: string[]): SlackMessage {
  // The fallback text (notifications, screen readers) is mrkdwn too: escaped like the blocks.
  const text = escapeMrkdwn(`${error}. Usage: ${usage.join(' | ')}`);
  return {
    text,
    blocks: [
      section(`:warning: ${escapeMrkdwn(error)}`),
      section(usage.map((u) => `\`${escapeMrkdwn(u)}\``).join('\n')),
    ],
  };
}

/** A failure the user can act on: what happened, then what to do next. No URL credentials or tokens. */
export function problemView(problem: string, advice?: string): SlackMessage {
  const what = scrubSecrets(problem);
  const next = advice === undefined ? undefined : scrubSecrets(advice);
  return {
    // The fallback text (notifications, screen readers) is mrkdwn too: escaped like the blocks.
    text: escapeMrkdwn(next ? `${what} ${next}` : what),
    blocks: [section(`:x: ${escapeMrkdwn(what)}`), ...(next ? [context(escapeMrkdwn(next))] : [])],
  };
}

/**
 * An access policy's refusal: the bot's own words from opsbot.yaml, whose mentions (who may) and
 * channel links (where) must stay live, so it is not escaped. Never for text from a cluster, a
 * host or a user: that goes through problemView.
 */
export function policyRefusalView(text: string): SlackMessage {
  return { text, blocks: [section(`:no_entry: ${text}`)] };
}

/** A plain notice (mrkdwn allowed: the text is ours, not the user's). */
export function noticeView(text: string): SlackMessage {
  return { text, blocks: [section(text)] };
}

/**
 * Why a command was refused, said to the requester: one line, or a headline over a list of
 * reasons (each saying what to do), then the next human action.
 */
export function refusalView(refusal: Refusal): SlackMessage {
  if (!refusal.reasons?.length) return problemView(refusal.what, refusal.next);
  const r = {
    what: scrubSecrets(refusal.what),
    reasons: refusal.reasons.map(scrubSecrets),
    next: scrubSecrets(refusal.next),
  };
  return {
    text: escapeMrkdwn(`${r.what}: ${r.reasons.join('; ')} ${r.next}`),
    blocks: [
      section(`:no_entry: *${escapeMrkdwn(r.what)}:*\n${r.reasons.map((x) => `• ${escapeMrkdwn(x)}`).join('\n')}`),
      context(escapeMrkdwn(r.next)),
    ],
  };
}
