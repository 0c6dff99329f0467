/** A commit as the cards show it. */
export interface CommitInfo {
  sha: string;
  short: string;
  subject: string;
  author: string;
  /** Commit time, ms since the epoch. */
  time: number;
}

/** A field separator git will not find in a subject line. */
const SEP = '\x1f';
/** `git log --format=` for parseCommit: full and short sha, subject, author, commit time. */
export const COMMIT_FORMAT = ['%H', '%h', '%s', '%an', '%ct'].join('%x1f');
/** git over SSH: a remote that asks for a password must fail, not wait for a terminal that never comes. */
export const GIT = ['env', 'GIT_TERMINAL_PROMPT=0', 'git'] as const;

/** One line of `git log --format=COMMIT_FORMAT`, or undefined when it is not one. */
export function parseCommit(line: string): CommitInfo | undefined {
  const [sha, short, subject, author, ct] = line.split(SEP);
  if (!sha || !short || ct === undefined) return undefined;
  return { sha, short, subject: subject ?? '', author: author ?? '', time: Number(ct) * 1000 };
}
