import { pino, type Logger as PinoLogger, type LoggerOptions } from 'pino';
import { build as prettyStream } from 'pino-pretty';

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
