import type { ServiceTiming } from '../runbooks/activedata-deploy/index.js';
import type { DrainTiming } from '../runbooks/es-drain/wait-for-empty.js';
import type { CardUpdaterOptions } from '../slack/card-updater.js';

/** The bot's defaults shared by both processes, each stated once (BotOptions says what each means). */
export const BOT_DEFAULTS = {
  /** A drain looks at the cluster every 5 s and calls itself stalled after 10 minutes without bytes moved. */
  drainTiming: { pollMs: 5_000, stallAfterMs: 10 * 60_000 } satisfies DrainTiming,
  /** A restarted ActiveData service is looked at every 2 s until it is up. */
  serviceTiming: { pollMs: 2_000 } satisfies ServiceTiming,
  /** A card every 3 s at most; 40 updates a minute across all cards and processes (chat.update is Tier 3, ~50). */
  cardUpdates: { perMessageMs: 3_000, globalGapMs: 1_500 } satisfies CardUpdaterOptions,
  /** Card updates that may go out at once after a quiet spell, before the 1.5 s workspace gap applies. */
  cardBurst: 10,
} as const;

/** The worker process's defaults (OPSBOT_WORKER_CONCURRENCY, OPSBOT_HTTP_PORT override them). */
export const WORKER_DEFAULTS = {
  /** Runs one worker works on at once; a waiting run (a day-long drain) holds no slot. */
  concurrency: 10,
  /** The worker's ops listener: Prometheus exporters' usual port. */
  opsPort: 9464,
} as const;

/** Local mode's defaults (OPSBOT_SIM_SPEED, OPSBOT_LOCAL_CRON_MS, OPSBOT_CONSOLE_PORT override them). */
export const LOCAL_DEFAULTS = {
  /** Simulated time runs 60 times faster: a 1-hour drain takes a minute. */
  simSpeed: 60,
  /** SpotManager's stand-in runs from its cron every 20 s (the real one: every 10 minutes). */
  cronTickMs: 20_000,
  /** The browser console. */
  consolePort: 3100,
} as const;
