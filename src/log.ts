import { pino, stdSerializers, type Logger as PinoLogger, type LoggerOptions } from 'pino';
import { build as prettyStream } from 'pino-pretty';
import { maskText } from './secret-mask.js';

export type Logger = PinoLogger;

/**
 * Paths pino blanks in every log line. Tokens reach objects we log (client options, request
 * bodies), so redaction is by configuration rather than by remembering not to log them.
 */
export const REDACT_PATHS = [
  'token',
  '*.token',
  'botToken',
  '*.botToken',
  'appToken',
  '*.appToken',
  'signingSecret',
  '*.signingSecret',
  'password',
  '*.password',
  'apiKey',
  '*.apiKey',
  'authorization',
  '*.authorization',
  'headers.authorization',
  '*.headers.authorization',
  'secretAccessKey',
  '*.secretAccessKey',
  'passphrase',
  '*.passphrase',
  'privateKey',
  '*.privateKey',
];

/**
 * Credentials out of a text that leaves the process (a log line, an error posted to Slack): URL
 * userinfo removed, secret-named values and token shapes (Slack, GitHub, AWS, JWTs, secret query
 * parameters, webhook paths, `-p` options) replaced by [redacted], by the one masker
 * (src/secret-mask.ts). Key-based redaction (REDACT_PATHS) cannot see these: they sit inside
 * messages and stacks.
 */
export function scrubSecrets(text: string): string {
  return maskText(text, { mask: '[redacted]', dropUserinfo: true });
}

/** Every string in a serialized value scrubbed (an error's message, stack, cause, client metadata). */
function scrubDeep(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return scrubSecrets(value);
  if (typeof value !== 'object' || value === null || depth > 6) return value;
  if (Array.isArray(value)) return value.map((v) => scrubDeep(v, depth + 1));
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, scrubDeep(v, depth + 1)]));
}

/** pino's error serializer, then scrubbed: errors carry URLs and tokens in their texts. */
const scrubbedError = (err: unknown): unknown => scrubDeep(err instanceof Error ? stdSerializers.err(err) : err);

/**
 * Builds the process logger: JSON lines to stdout (or a destination stream, for tests). `pretty`
 * makes the lines human-readable (local mode); redaction happens before either format.
 */
export function createLogger(
  opts: { level?: string; name?: string; pretty?: boolean } = {},
  destination?: NodeJS.WritableStream,
): Logger {
  const options: LoggerOptions = {
    name: opts.name ?? 'opsbot',
    level: opts.level ?? process.env.LOG_LEVEL ?? 'info',
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    serializers: { err: scrubbedError, error: scrubbedError },
    hooks: {
      // The message string too: a line built from an error's text carries what the error did.
      logMethod(args, method) {
        method.apply(this, args.map((a) => (typeof a === 'string' ? scrubSecrets(a) : a)) as Parameters<typeof method>);
      },
    },
  };
  if (opts.pretty) {
    const out = destination ?? process.stdout;
    // In-process and synchronous: no worker thread, and a line is out before the process exits.
    const colorize = (out as { isTTY?: boolean }).isTTY === true;
    return pino(
      options,
      prettyStream({ destination: out, sync: true, colorize, ignore: 'pid,hostname', translateTime: 'SYS:HH:MM:ss.l' }),
    );
  }
  return destination ? pino(options, destination as never) : pino(options);
}

/** A logger that writes nothing: the default for library code and tests that do not look at logs. */
export const silentLogger: Logger = pino({ level: 'silent' });
