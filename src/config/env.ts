import { z } from 'zod';
import { ConfigError, describeFirstIssue } from './config-error.js';

/**
 * Every environment variable the bot reads. Secrets live here and only here; the estate file
 * (opsbot.yaml) names which variable holds which cluster credential, never the secret itself.
 * .env.example documents each one.
 */
const envSchema = z.object({
  SLACK_BOT_TOKEN: z
    .string()
    .regex(/^xoxb-/, 'must be a bot token (xoxb-…)')
    .optional(),
  SLACK_SIGNING_SECRET: z.string().min(8, 'must be the app signing secret').optional(),
  SLACK_APP_TOKEN: z
    .string()
    .regex(/^xapp-/, 'must be an app-level token (xapp-…) for Socket Mode')
    .optional(),
  SLACK_API_URL: z.url().optional(),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('0.0.0.0'),
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, 'must be redis://host:port[/db] or rediss://')
    .optional(),
  // Redis Sentinel instead of REDIS_URL: host:port,host:port of the sentinels and the master's name.
  REDIS_SENTINELS: z
    .string()
    .regex(/^[A-Za-z0-9.-]+:\d+(,[A-Za-z0-9.-]+:\d+)*$/, 'must be host:port,host:port of the sentinels')
    .optional(),
  REDIS_SENTINEL_MASTER: z
    .string()
    .regex(/^[A-Za-z0-9._-]+$/, 'must be the master name of `sentinel monitor NAME ...`')
    .optional(),
  // Password of the Redis master under Sentinel (with REDIS_URL it goes in the URL).
  REDIS_PASSWORD: z.string().optional(),
  // 1: start on a Redis without AOF or with an evicting maxmemory-policy (throwaway setups only).
  OPSBOT_REDIS_UNSAFE_OK: z
    .enum(['0', '1'])
    .default('0')
    .transform((v) => v === '1'),
  OPSBOT_CONFIG: z.string().default('opsbot.yaml'),
  OPSBOT_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9:_-]+$/)
    .default('opsbot'),
  // Unset: info for the web and worker processes, silent in local mode (the terminal is the chat there).
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).optional(),
  // json: one JSON object a line (production); pretty: human-readable (local mode's default).
  LOG_FORMAT: z.enum(['json', 'pretty']).optional(),
  // The ops endpoints' own listener (/healthz, /readyz, /livez, /metrics, the dashboard).
  OPSBOT_HTTP_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  OPSBOT_HTTP_HOST: z.string().optional(),
  OPSBOT_DASHBOARD_TOKEN: z
    .string()
    .min(16, 'must be at least 16 characters (it guards the queue dashboard)')
    .optional(),
  OPSBOT_DASHBOARD_READONLY: z
    .enum(['true', 'false'])
    .default('true')
    .transform((v) => v === 'true'),
  // The worker: runs worked on at once (default: WORKER_DEFAULTS in src/main/defaults.ts).
  OPSBOT_WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(1000).optional(),
  // Local mode only (defaults: LOCAL_DEFAULTS): simulated-time speed-up, SpotManager's cron, the console's port.
  OPSBOT_SIM_SPEED: z.coerce.number().positive().max(100_000).optional(),
  OPSBOT_LOCAL_CRON_MS: z.coerce.number().int().min(100).optional(),
  OPSBOT_CONSOLE_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  SSH_PRIVATE_KEY_PATH: z.string().optional(),
  SSH_PASSPHRASE: z.string().optional(),
});

export type Env = z.infer<typeof envSchema>;

export function loadEnv(source: NodeJS.ProcessEnv = process.env): Env {
  // Empty strings in .env files mean "unset", not "the empty token".
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = envSchema.safeParse(cleaned);
  if (!parsed.success) throw new ConfigError(describeFirstIssue('environment', parsed.error));
  return parsed.data;
}

/** The Slack credentials a real (non-local) run needs; one line naming the missing variable otherwise. */
export function requireSlackCredentials(env: Env): { botToken: string; signingSecret: string; appToken?: string } {
  if (!env.SLACK_BOT_TOKEN)
    throw new ConfigError(
      'environment: SLACK_BOT_TOKEN is not set (the bot token, xoxb-…, from the Slack app page "OAuth & Permissions")',
    );
  if (!env.SLACK_SIGNING_SECRET)
    throw new ConfigError('environment: SLACK_SIGNING_SECRET is not set (from the Slack app page "Basic Information")');
  return { botToken: env.SLACK_BOT_TOKEN, signingSecret: env.SLACK_SIGNING_SECRET, appToken: env.SLACK_APP_TOKEN };
}
