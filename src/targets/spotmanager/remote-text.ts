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

/**
 * The bytes of a file from a position on: the file's inode, its size and where the read started,
 * on one line, then the bytes as base64. A changed inode (rotated) or a file shorter than the
 * offset (truncated) is read from its start; offset -1 means "the last `max` bytes".
 */
const READ_FROM = [
  'f="$1"; ino="$2"; off="$3"; max="$4"',
  '[ -e "$f" ] || { echo missing; exit 0; }',
  'set -- $(stat -L -c "%i %s" -- "$f") || exit 1',
  'if [ "$off" -lt 0 ]; then off=$(( $2 > max ? $2 - max : 0 ));',
  'elif [ "$1" != "$ino" ] || [ "$2" -lt "$off" ]; then off=0; fi',
  'echo "$1 $2 $off"',
  'tail -c +$((off + 1)) -- "$f" | head -c "$max" | base64 -w0',
].join('\n');

/** Where a reader got to in a file: its inode and the byte offset after the last whole line read. */
export interface FilePosition {
  inode: string;
  offset: number;
}

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

  /**
   * The whole lines written since `from` (at most `maxBytes` of them: the rest on the next call),
   * and the position after them. No `from`: the last `maxBytes`, from the first whole line.
   * `restarted`: the file was rotated or truncated since, and was read from its start.
   */
  async readFrom(
    path: string,
    from: FilePosition | undefined,
    maxBytes: number,
  ): Promise<{ lines: string[]; position: FilePosition; restarted: boolean } | undefined> {
    const args = [path, from?.inode ?? '', String(from?.offset ?? -1), String(maxBytes)];
    const r = await this.ssh.run(['sh', '-c', READ_FROM, 'opsbot-read', ...args]);
    if (r.code !== 0)
      throw new SpotManagerError(
        `cannot read ${path} on ${this.where}: ${r.stderr.trim() || `exit ${r.code}`}`,
        'command',
      );
    const [head = '', data = ''] = r.stdout.split('\n');
    if (head.trim() === 'missing') return undefined;
    const [inode = '', , start = '0'] = head.trim().split(' ');
    let bytes = Buffer.from(data.trim(), 'base64');
    let offset = Number(start);
    if (!from && offset > 0) {
      // Started mid-file: the first line is a piece of one.
      const nl = bytes.indexOf(0x0a);
      offset += nl + 1;
      bytes = nl < 0 ? Buffer.alloc(0) : bytes.subarray(nl + 1);
    }
    // Only whole lines: a line being written stays for the next call.
    const end = bytes.lastIndexOf(0x0a) + 1;
    const text = bytes.subarray(0, end).toString('utf8');
    return {
      lines: text ? text.slice(0, -1).split('\n') : [],
      position: { inode, offset: offset + end },
      restarted: from !== undefined && (from.inode !== inode || Number(start) < from.offset),
    };
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
