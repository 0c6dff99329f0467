import { COMMIT_FORMAT as FORMAT, GIT, parseCommit, type CommitInfo } from '../git/index.js';
import type { CommandResult, SshHost } from '../ssh/index.js';
import { ActiveDataError } from './errors.js';
import { safeOperand } from './remote-path.js';

export type { CommitInfo };

const TIMEOUT_S = 60;

/**
 * The service's git checkout on the frontend, over SSH. Every value (path, remote, branch,
 * commit) travels as its own quoted argv element; names from Slack were shape-checked by the
 * grammar and begin with a letter or digit, so none can pass for an option.
 */
export class GitCheckout {
  constructor(
    private readonly ssh: SshHost,
    readonly dir: string,
  ) {}

  private git(args: string[]): Promise<CommandResult> {
    return this.ssh.run([...GIT, '-C', safeOperand(this.dir), ...args], { timeoutSeconds: TIMEOUT_S });
  }

  /** Runs git and returns its stdout, trimmed, or throws with git's own words. */
  private async must(args: string[], what: string): Promise<string> {
    const r = await this.git(args);
    if (r.code !== 0) {
      const why = (r.stderr || r.stdout).trim().split('\n').slice(-3).join(' ');
      throw new ActiveDataError(
        `${what} failed in ${this.dir} on ${this.ssh.cfg.host} (exit ${r.code}): ${why}`,
        r.stderr || r.stdout,
      );
    }
    return r.stdout.trim();
  }

  async head(): Promise<string> {
    return this.must(['rev-parse', 'HEAD'], 'reading the current commit');
  }

  /** The checked-out branch, or undefined when HEAD is detached. */
  async branch(): Promise<string | undefined> {
    const b = await this.must(['rev-parse', '--abbrev-ref', 'HEAD'], 'reading the current branch');
    return b === 'HEAD' ? undefined : b;
  }

  async commit(rev: string): Promise<CommitInfo> {
    const line = await this.must(['log', '-1', `--format=${FORMAT}`, rev, '--'], `reading commit ${rev}`);
    const c = parseCommit(line);
    if (!c) throw new ActiveDataError(`git log gave an unreadable line for ${rev}: ${line.slice(0, 80)}`);
    return c;
  }

  /** The full sha of a commit named by the requester (a short sha, a tag), or undefined. */
  async resolve(rev: string): Promise<string | undefined> {
    const r = await this.git(['rev-parse', '--verify', '--quiet', `${rev}^{commit}`]);
    return r.code === 0 ? r.stdout.trim() : undefined;
  }

  /**
   * Tracked files with local changes (untracked files do not stop a deploy; git stops it if the
   * pull would overwrite one).
   */
  async dirtyFiles(): Promise<string[]> {
    // Names only (staged or not): `status --porcelain` starts with a column that may be a space,
    // and the SSH layer trims output.
    const out = await this.must(['diff', '--name-only', 'HEAD', '--'], 'reading the work tree state');
    return out.split('\n').filter(Boolean);
  }

  /** `git fetch REMOTE BRANCH`: the branch's commit at the remote, without touching the work tree. */
  async fetch(remote: string, branch: string): Promise<{ ok: true; sha: string } | { ok: false; output: string }> {
    const r = await this.git(['fetch', '--quiet', remote, branch]);
    if (r.code !== 0) return { ok: false, output: (r.stderr || r.stdout).trim() };
    return { ok: true, sha: await this.must(['rev-parse', 'FETCH_HEAD'], 'reading the fetched commit') };
  }

  async isAncestor(ancestor: string, descendant: string): Promise<boolean> {
    const r = await this.git(['merge-base', '--is-ancestor', ancestor, descendant]);
    if (r.code > 1) throw new ActiveDataError(`git merge-base failed in ${this.dir}: ${r.stderr.trim()}`);
    return r.code === 0;
  }

  /** Commits in `to` that are not in `from`, newest first, at most `max`; and how many there are. */
  async between(from: string, to: string, max = 20): Promise<{ commits: CommitInfo[]; count: number }> {
    const range = `${from}..${to}`;
    const [log, count] = await Promise.all([
      this.must(['log', `--format=${FORMAT}`, `--max-count=${max}`, range, '--'], `listing ${range}`),
      this.must(['rev-list', '--count', range, '--'], `counting ${range}`),
    ]);
    return {
      commits: log
        .split('\n')
        .map(parseCommit)
        .filter((c): c is CommitInfo => c !== undefined),
      count: Number(count),
    };
  }

  /** Moves the checkout forward to `sha`, only if that is a fast-forward; never creates a merge commit. */
  fastForward(sha: string): Promise<CommandResult> {
    return this.git(['merge', '--ff-only', sha]);
  }

  /**
   * Moves the checkout (and its branch) to `sha`. `--keep`, not `--hard`: local edits someone made
   * on the host are kept, and git refuses rather than overwrite one.
   */
  resetKeep(sha: string): Promise<CommandResult> {
    return this.git(['reset', '--keep', sha]);
  }
}
