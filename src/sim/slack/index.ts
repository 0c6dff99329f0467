/** The Slack stand-ins used by tests and by local mode: a Web API server and a signed client. */
export { startFakeSlack, FakeSlack, type FakeSlackOptions } from './web-api-server.js';
export {
  SlackDriver,
  type SlackDriverOptions,
  type SendOptions,
  type DriverResponse,
  type InteractionResponse,
} from './signed-driver.js';
export { findButton, listButtons, type ButtonElement, type LocatedButton } from './find-button.js';
export type { Actor, ClickedAction, ClickedMessage, ClickedView, SubmittedView } from './interaction-payloads.js';
export { renderBlocksAsText } from './render-text.js';
export { ChannelView, type RecordedSlack, type ShownMessage } from './channel-view.js';
export { mrkdwnToText } from './mrkdwn-to-text.js';
export { slackSignature } from './request-signature.js';
export { responseUrlId, RESPONSE_URL_MAX_USES } from './response-url.js';
export { SIM_DEFAULTS } from './defaults.js';
export { SLACK_RATE_LIMITS, RateLimiter, type RateLimit } from './rate-limits.js';
export type * from './types.js';
