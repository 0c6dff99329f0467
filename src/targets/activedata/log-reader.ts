import type { SshHost } from '../ssh/index.js';
import { ActiveDataError } from './errors.js';
import { safeOperand } from './remote-path.js';
import { maskText } from '../../secret-mask.js';

/** At most this many lines, and this many bytes, leave the host: a log can be gigabytes. */
export const LOG_LIMITS = { maxLines: 1000, maxBytes: 256 * 1024 } as const;

export interface LogExcerpt {
  file: string;
  text: string;
  /** Lines in `text`. */
  lines: number;
  /** The byte cap cut the excerpt (its oldest lines are missing). */
  clipped: boolean;
  grep?: string;
}

/**
 * Marks around the excerpt: the SSH layer trims output, which would eat the first line's
 * indentation (a traceback's) and the byte that tells a cut excerpt from a whole one.
 */
const BEGIN = 'opsbot-begin\n';
const END = 'opsbot-end';

/**
 * Fixed script; the byte cap, the file, the line count and the search text arrive as its
 * positional arguments ($1..$4), each quoted by the SSH adapter. A value inside "$4" is never
 * parsed as shell syntax, so `; rm -rf /` is searched for, not run. `grep -F`: the text is text,
 * not a pattern. `tail -c` bounds what crosses the network whatever the line lengths.
 */
const SCRIPT = [
  '[ -r "$2" ] || { echo "cannot read $2" >&2; exit 2; }',
  "printf 'opsbot-begin\\n'",
  'if [ "$#" -ge 4 ]; then grep -a -F -e "$4" -- "$2" | tail -n "$3"; else tail -n "$3" -- "$2"; fi | tail -c "$1"',
  "printf 'opsbot-end'",
].join('\n');

/** The last lines of a log on the frontend, optionally only those containing `grep`. */
export async function readLog(ssh: SshHost, file: string, lines: number, grep?: string): Promise<LogExcerpt> {
  const n = Math.max(1, Math.min(LOG_LIMITS.maxLines, Math.floor(lines)));
  if (grep !== undefined && (grep === '' || /[\0\n\r]/.test(grep)))
    throw new ActiveDataError('the search text must be one non-empty line');
  const argv = [
    'sh',
    '-c',
    SCRIPT,
    'opsbot-logs',
    String(LOG_LIMITS.maxBytes + 1),
    safeOperand(file),
    String(n),
    ...(grep !== undefined ? [grep] : []),
  ];
  const r = await ssh.run(argv, { timeoutSeconds: 60 });
  if (r.code !== 0)
    throw new ActiveDataError(`cannot read ${file} on ${ssh.cfg.host}: ${r.stderr.trim() || `exit ${r.code}`}`);
  const start = r.stdout.indexOf(BEGIN);
  const end = r.stdout.lastIndexOf(END);
  if (start < 0 || end < start)
    throw new ActiveDataError(`reading ${file} on ${ssh.cfg.host} gave an unreadable answer`);
  let text = r.stdout.slice(start + BEGIN.length, end);
  const clipped = Buffer.byteLength(text) > LOG_LIMITS.maxBytes;
  // The byte cap cuts mid-line: drop that partial first line.
  if (clipped) text = text.slice(text.indexOf('\n') + 1);
  // Production lines can quote credentials: masked (the one masker, as config is) before they leave here.
  text = maskText(text.replace(/\n$/, ''));
  return { file, text, lines: text ? text.split('\n').length : 0, clipped, ...(grep !== undefined ? { grep } : {}) };
}
