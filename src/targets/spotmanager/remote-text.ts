import { createHash } from 'node:crypto';
import type { SshHost } from '../ssh/index.js';
import { SpotManagerError } from './spot-manager-error.js';

/**
 * Replaces a file only if it still has the content we read (its sha256), through a temporary file
 * and a rename, so a concurrent editor is never overwritten and a reader never sees half a file.
 * The content travels on stdin; the script is fixed text and the path a quoted argument.
 */
const REPLACE_IF_UNCHANGED = [
  'set -e',
  'f="$1"; want="$2"',
  'have=$(sha256sum < "$f" | cut -d" " -f1)',
  '[ "$have" = "$want" ] || { echo "changed since it was read" >&2; exit 3; }',
  'tmp="$f.opsbot-$$"',
  'cat > "$tmp"',
  'chmod --reference="$f" "$tmp" 2>/dev/null || true',
  'mv -f "$tmp" "$f"',
].join('\n');

/** Text files on a remote host, read and written over SSH. */
export class RemoteText {
  constructor(private readonly ssh: SshHost) {}

  get where(): string {
    return `${this.ssh.cfg.user}@${this.ssh.cfg.host}`;
  }

  /** The file's exact bytes (as base64 on the wire: the SSH layer trims whitespace at both ends of output). */
  async read(path: string): Promise<{ text: string; sha: string }> {
    const r = await this.ssh.run(['base64', '--', path]);
    if (r.code !== 0) {
      const missing = /No such file/i.test(r.stderr);
      throw new SpotManagerError(
        `cannot read ${path} on ${this.where}: ${r.stderr.trim() || `exit ${r.code}`}`,
        missing ? 'not_found' : 'command',
      );
    }
    const bytes = Buffer.from(r.stdout, 'base64');
    return { text: bytes.toString('utf8'), sha: createHash('sha256').update(bytes).digest('hex') };
  }

  /** Writes `text` to `path` if the file still hashes to `expectSha`; a conflict changes nothing. */
  async replace(path: string, text: string, expectSha: string): Promise<void> {
    const r = await this.ssh.run(['sh', '-c', REPLACE_IF_UNCHANGED, 'opsbot-write', path, expectSha], { stdin: text });
    if (r.code === 3)
      throw new SpotManagerError(
        `${path} on ${this.where} changed while the bot was editing it; nothing was written. Try again.`,
        'conflict',
      );
    if (r.code !== 0)
      throw new SpotManagerError(
        `cannot write ${path} on ${this.where}: ${r.stderr.trim() || `exit ${r.code}`}`,
        'command',
      );
  }

  /** The last `lines` lines of a file. */
  async tail(path: string, lines: number): Promise<string[]> {
    const r = await this.ssh.run(['tail', '-n', String(Math.max(1, Math.floor(lines))), '--', path]);
    if (r.code !== 0) {
      const missing = /No such file/i.test(r.stderr);
      throw new SpotManagerError(
        `cannot read ${path} on ${this.where}: ${r.stderr.trim() || `exit ${r.code}`}`,
        missing ? 'not_found' : 'command',
      );
    }
    return r.stdout.split('\n');
  }
}
