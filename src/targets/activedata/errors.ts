import { OperatorError } from '../../problem.js';

/**
 * A problem with the ActiveData frontend in words an operator can act on: supervisor not
 * answering, a program it does not know, a file that cannot be read. SSH problems stay SshError.
 */
export class ActiveDataError extends OperatorError {
  override name = 'ActiveDataError';
  constructor(
    message: string,
    readonly output?: string,
    next = 'Check the frontend (/activedata status), then ask again.',
  ) {
    super(message, next);
  }
}

/** The last `maxLines` lines of command output, each clipped, for a thread reply or a failure reason. */
export function lastLines(text: string, maxLines = 12, maxLineLength = 200): string {
  const lines = text
    .replace(/\s+$/, '')
    .split('\n')
    .filter((l, i, all) => l !== '' || i < all.length - 1);
  const tail = lines.slice(-maxLines).map((l) => (l.length > maxLineLength ? `${l.slice(0, maxLineLength)}…` : l));
  return (lines.length > maxLines ? [`… (${lines.length - maxLines} earlier lines)`, ...tail] : tail).join('\n');
}
