import type { EtlRepoConfig } from '../../config/estate.js';
import { COMMIT_FORMAT as FORMAT, GIT, parseCommit, type CommitInfo } from '../git/index.js';
import type { CommandResult, SshHost } from '../ssh/index.js';
import { EtlError } from './etl-error.js';

export type { CommitInfo };

const TIMEOUT_S = 120;

/**
 * `~/x` is `x`: every SSH command starts in the user's home, and a quoted `~` is not expanded. A
 * leading `-` never reads as an option.
 */
function remoteDir(path: string): string {
  const p = path.startsWith('~/') ? path.slice(2) : path;
  return p.startsWith('-') ? `./${p}` : p;
}

/**
 * The ETL's code, as a git checkout on the manager host whose remote (GitHub's ActiveData-ETL in
 * 2016) holds the `etl` branch the instances run. Every value travels as its own quoted argv
 * element; commit ids from Slack were shape-checked as hexadecimal by the grammar.
 */
export class EtlRepo {
  private readonly dir: string;

  constructor(
    private readonly ssh: SshHost,
    readonly cfg: EtlRepoConfig,
  ) {
    this.dir = remoteDir(cfg.checkout);
  }

  /** `checkout on user@host`, for messages. */
  get where(): string {
    return `${this.cfg.checkout} on ${this.ssh.cfg.user}@${this.ssh.cfg.host}`;
  }

  get branchRef(): string {
    return `refs/heads/${this.cfg.branch}`;
  }

  private git(args: string[]): Promise<CommandResult> {
    return this.ssh.run([...GIT, '-C', this.dir, ...args], { timeoutSeconds: TIMEOUT_S });
  }

  /** Runs git and returns its stdout, trimmed, or throws with git's own words. */
  private async must(args: string[], what: string): Promise<string> {
    const r = await this.git(args);
    if (r.code !== 0) throw new EtlError(`${what} failed in ${this.where} (exit ${r.code}): ${lastWords(r)}`, 'git');
    return r.stdout.trim();
  }

  /** `git fetch --prune REMOTE`: every branch of the remote, so a commit pushed anywhere can be found. */
  async fetch(): Promise<void> {
    await this.must(['fetch', '--quiet', '--prune', this.cfg.remote], `git fetch ${this.cfg.remote}`);
  }

  /** The full sha of a commit id given by a person, or undefined when the repository has no such commit. */
  async resolve(rev: string): Promise<string | undefined> {
    const r = await this.git(['rev-parse', '--verify', '--quiet', `${rev}^{commit}`]);
    return r.code === 0 ? r.stdout.trim() : undefined;
  }

  async commit(rev: string): Promise<CommitInfo> {
    const line = await this.must(['log', '-1', `--format=${FORMAT}`, rev, '--'], `reading commit ${rev}`);
    const c = parseCommit(line);
    if (!c) throw new EtlError(`git log gave an unreadable line for ${rev}: ${line.slice(0, 80)}`, 'git');
    return c;
  }

  /** Where the branch is at the remote now (`git ls-remote`), or undefined when it does not exist there. */
  async remoteHead(): Promise<string | undefined> {
    const out = await this.must(
      ['ls-remote', '--heads', this.cfg.remote, this.branchRef],
      `git ls-remote ${this.cfg.remote} ${this.cfg.branch}`,
    );
    const line = out.split('\n').find((l) => l.endsWith(`\t${this.branchRef}`));
    return line?.split('\t')[0];
  }

  async isAncestor(ancestor: string, descendant: string): Promise<boolean> {
    const r = await this.git(['merge-base', '--is-ancestor', ancestor, descendant]);
    if (r.code > 1) throw new EtlError(`git merge-base failed in ${this.where}: ${lastWords(r)}`, 'git');
    return r.code === 0;
  }

  /**
   * Commits in `to` that are not in `from` (all of `to`'s history when `from` is undefined), newest
   * first, at most `max`.
   */
  async between(from: string | undefined, to: string, max = 10): Promise<{ commits: CommitInfo[]; count: number }> {
    const range = from ? [`${from}..${to}`] : [to];
    const [log, count] = await Promise.all([
      this.must(['log', `--format=${FORMAT}`, `--max-count=${max}`, ...range, '--'], `listing ${range.join(' ')}`),
      this.must(['rev-list', '--count', ...range, '--'], `counting ${range.join(' ')}`),
    ]);
    return {
      commits: log
        .split('\n')
        .map(parseCommit)
        .filter((c): c is CommitInfo => c !== undefined),
      count: Number(count),
    };
  }

  /** A file's text at a commit, or undefined when the commit has no such file. */
  async showFile(sha: string, path: string): Promise<string | undefined> {
    // base64 on the wire: the SSH layer trims whitespace at both ends of output.
    const r = await this.ssh.run(
      ['sh', '-c', 'git -C "$1" show "$2" | base64', 'etl-show', this.dir, `${sha}:${path}`],
      { timeoutSeconds: TIMEOUT_S },
    );
    if (/does not exist|exists on disk, but not in|invalid object name/i.test(r.stderr)) return undefined;
    if (r.code !== 0 || r.stderr.trim())
      throw new EtlError(`git show ${sha.slice(0, 12)}:${path} failed in ${this.where}: ${lastWords(r)}`, 'git');
    return Buffer.from(r.stdout, 'base64').toString('utf8');
  }

  /**
   * Moves the remote branch to `sha` if, and only if, it is still at `expect` (undefined: it must
   * not exist yet). `--force-with-lease` makes the move atomic against someone else's push; the
   * caller decides whether it may go backwards (a revert) or only forwards (checked at the plan).
   */
  push(sha: string, expect: string | undefined): Promise<CommandResult> {
    return this.git([
      'push',
      '--porcelain',
      `--force-with-lease=${this.branchRef}:${expect ?? ''}`,
      this.cfg.remote,
      `${sha}:${this.branchRef}`,
    ]);
  }
}

/** git's last lines, for a message. */
export function lastWords(r: CommandResult, lines = 3): string {
  return (r.stderr || r.stdout).trim().split('\n').slice(-lines).join(' ').slice(0, 400) || `exit ${r.code}`;
}
