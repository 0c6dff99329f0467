/**
 * The browser console of local mode: a Slack client stand-in. The page renders what the bot
 * posted to the Slack Web API stand-in and sends what its user does to the bot's real receiver.
 */
export {
  ConsoleServer,
  ConsolePortInUseError,
  startConsoleServer,
  type ConsoleDeps,
  type ListenOptions,
} from './console-server.js';
export type { ConsoleUser } from './console-actions.js';
export type { ClusterSummary } from './cluster-view.js';
