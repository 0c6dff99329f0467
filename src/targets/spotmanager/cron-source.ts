import type { SshHost } from '../ssh/index.js';
import { RemoteText } from './remote-text.js';
import { SpotManagerError } from './spot-manager-error.js';

/** Where SpotManager's cron lines live: a cron file, or the SSH user's own crontab. */
export interface CronSource {
  readonly describe: string;
  read(): Promise<{ text: string; token: string }>;
  /** Writes the new text; `token` from read() guards against a concurrent edit where it can. */
  write(text: string, token: string): Promise<void>;
}

/** A cron file such as /etc/cron.d/spotmanager, replaced only if unchanged since it was read. */
export class CronFile implements CronSource {
  private readonly files: RemoteText;
  constructor(
    ssh: SshHost,
    private readonly path: string,
  ) {
    this.files = new RemoteText(ssh);
  }

  get describe(): string {
    return `${this.path} on ${this.files.where}`;
  }

  async read(): Promise<{ text: string; token: string }> {
    const { text, sha } = await this.files.read(this.path);
    return { text, token: sha };
  }

  write(text: string, token: string): Promise<void> {
    return this.files.replace(this.path, text, token);
  }
}

/** The user's crontab (`crontab -l` / `crontab -`), as SpotManager's README sets it up. */
export class UserCrontab implements CronSource {
  constructor(private readonly ssh: SshHost) {}

  get describe(): string {
    return `the crontab of ${this.ssh.cfg.user}@${this.ssh.cfg.host}`;
  }

  async read(): Promise<{ text: string; token: string }> {
    const r = await this.ssh.run(['crontab', '-l']);
    if (r.code !== 0 && /no crontab/i.test(r.stderr)) return { text: '', token: '' };
    if (r.code !== 0)
      throw new SpotManagerError(`cannot read ${this.describe}: ${r.stderr.trim() || `exit ${r.code}`}`, 'command');
    return { text: r.stdout, token: r.stdout };
  }

  async write(text: string, token: string): Promise<void> {
    // crontab has no compare-and-set: look again right before writing to keep the window small.
    const now = await this.read();
    if (now.token !== token)
      throw new SpotManagerError(
        `${this.describe} changed while the bot was editing it; nothing was written. Try again.`,
        'conflict',
      );
    const r = await this.ssh.run(['crontab', '-'], { stdin: text.endsWith('\n') ? text : `${text}\n` });
    if (r.code !== 0)
      throw new SpotManagerError(`cannot write ${this.describe}: ${r.stderr.trim() || `exit ${r.code}`}`, 'command');
  }
}
