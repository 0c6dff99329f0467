import { posix } from 'node:path';
import type { SpotManagerConfig } from '../../config/estate.js';
import { maskText } from '../../secret-mask.js';
import type { SshHost } from '../ssh/index.js';
import { CronFile, UserCrontab, type CronSource } from './cron-source.js';
import {
  DISABLED_MARK,
  disableEtl,
  etlLines,
  markedLines,
  restoreEtl,
  type CronLine,
  type CronRestore,
  type DisabledLine,
} from './crontab.js';
import { readEtlSettings, SettingsFileError, withBudget, type EtlSettings } from './etl-settings.js';
import { lastRun, parseLog, type RunSummary, type SpotEvent } from './log-events.js';
import { RemoteText, type FilePosition } from './remote-text.js';
import { SpotManagerError } from './spot-manager-error.js';

export interface CronState {
  enabled: boolean;
  lines: CronLine[];
  /** The ETL lines that carry the bot's mark: the ones it disabled. */
  marked: DisabledLine[];
  where: string;
}
export interface CronChange extends CronState {
  changed: boolean;
}
/** "Stop SpotManager": which lines the bot disabled, to be given back exactly. */
export interface CronStop extends CronChange {
  disabled: DisabledLine[];
}
/** "Start SpotManager": what came back, and what was left alone. */
export interface CronStart extends CronChange, Pick<CronRestore, 'restored' | 'already' | 'missing' | 'others'> {}
export interface BudgetChange {
  before: number;
  after: number;
  changed: boolean;
  path: string;
}
export interface PullResult {
  before: string;
  after: string;
  output: string;
  budgetKept?: number;
}

/** `~/x` and `x` both mean "x in the SSH user's home": the session starts there and paths stay quoted. */
function homeRelative(p: string): string {
  return p.replace(/^~\//, '');
}

/**
 * SpotManager on its host, over SSH: its ETL cron line (stop = disabled, start = restored), its
 * ETL settings (only the budget is ever edited, only in the ETL file), its checkout (git pull)
 * and its log. Every method changes nothing when it throws.
 */
export class SpotManager {
  private readonly files: RemoteText;
  private readonly cron: CronSource;
  readonly dir: string;
  readonly settingsPath: string;
  readonly esSettingsPath: string;
  readonly logPath: string;

  constructor(
    private readonly ssh: SshHost,
    private readonly cfg: SpotManagerConfig,
  ) {
    this.dir = posix.normalize(homeRelative(cfg.dir));
    const inDir = (p: string) => posix.normalize(p.startsWith('/') ? p : posix.join(this.dir, homeRelative(p)));
    this.settingsPath = inDir(cfg.settingsFile);
    this.esSettingsPath = inDir(cfg.esSettingsFile);
    this.logPath = inDir(cfg.logFile);
    if (this.settingsPath === this.esSettingsPath) {
      throw new SpotManagerError(
        'spotManager.settingsFile and esSettingsFile are the same file ' +
          `(${this.settingsPath}): the bot never edits the ES settings. Fix opsbot.yaml.`,
        'config',
      );
    }
    this.files = new RemoteText(ssh);
    this.cron = cfg.cronFile ? new CronFile(ssh, cfg.cronFile) : new UserCrontab(ssh);
  }

  /** user@host, for messages. */
  get where(): string {
    return this.files.where;
  }

  async cronState(): Promise<CronState> {
    const { text } = await this.cron.read();
    return this.state(text);
  }

  async isEnabled(): Promise<boolean> {
    return (await this.cronState()).enabled;
  }

  /**
   * "Stop SpotManager": its ETL cron line commented out with the bot's mark. Idempotent; the ES
   * line is untouched. `disabled` says which lines (position and text): a start gives back those.
   */
  async disable(): Promise<CronStop> {
    const r = await this.editCron((text) => disableEtl(text, this.cfg.cronMarkers));
    return { ...r.state, disabled: r.edit.disabled };
  }

  /**
   * "Start SpotManager": exactly the `recorded` lines given back (those the bot disabled).
   * Idempotent; any other disabled ETL line is left alone and reported in `others`.
   */
  async enable(recorded: readonly DisabledLine[]): Promise<CronStart> {
    const r = await this.editCron((text) => restoreEtl(text, this.cfg.cronMarkers, recorded));
    const { restored, already, missing, others } = r.edit;
    return { ...r.state, restored, already, missing, others };
  }

  async readSettings(): Promise<EtlSettings & { path: string }> {
    const { text } = await this.files.read(this.settingsPath);
    return { ...this.parse(text), path: this.settingsPath };
  }

  /**
   * Writes a new budget into the ETL settings file, changing only that number. `expect` is the
   * budget the requester saw: if the file says otherwise now, nothing is written.
   */
  async setBudget(budget: number, opts: { expect?: number } = {}): Promise<BudgetChange> {
    const { text, sha } = await this.files.read(this.settingsPath);
    const before = this.parse(text).budget;
    if (opts.expect !== undefined && before !== opts.expect && before !== budget) {
      throw new SpotManagerError(
        `the ETL budget in ${this.settingsPath} is now $${before}/hour, not $${opts.expect}/hour ` +
          'as planned; nothing was written. Ask again to see the current value.',
        'conflict',
      );
    }
    if (before === budget) return { before, after: budget, changed: false, path: this.settingsPath };
    let next: string;
    try {
      next = withBudget(text, budget, `${this.settingsPath} on ${this.where}`);
    } catch (err) {
      if (err instanceof SettingsFileError) throw new SpotManagerError(err.message, 'settings');
      throw err;
    }
    await this.files.replace(this.settingsPath, next, sha);
    const after = (await this.readSettings()).budget;
    if (after !== budget)
      throw new SpotManagerError(
        `wrote budget ${budget} to ${this.settingsPath} but it reads back as ${after}: check the file`,
        'command',
      );
    return { before, after, changed: true, path: this.settingsPath };
  }

  /**
   * `git pull` of its branch. The settings file is tracked too, so a local budget edit would make
   * the pull conflict: it is set aside, the pull done, and the local budget written back.
   */
  async pull(): Promise<PullResult> {
    const before = await this.git(['rev-parse', 'HEAD']);
    const dirty =
      (await this.ssh.run(['git', '-C', this.dir, 'diff', '--quiet', '--', this.relative(this.settingsPath)])).code ===
      1;
    const kept = dirty ? (await this.readSettings()).budget : undefined;
    if (dirty) await this.git(['checkout', '--', this.relative(this.settingsPath)]);
    const pulled = await this.ssh.run(['git', '-C', this.dir, 'pull', '--ff-only', 'origin', this.cfg.branch], {
      timeoutSeconds: 120,
    });
    if (pulled.code !== 0) {
      if (kept !== undefined) await this.setBudget(kept);
      throw new SpotManagerError(
        `git pull origin ${this.cfg.branch} in ${this.dir} on ${this.where} failed ` +
          `(exit ${pulled.code}): ${(pulled.stderr || pulled.stdout).trim().slice(0, 500)}`,
        'command',
      );
    }
    if (kept !== undefined) await this.setBudget(kept);
    const after = await this.git(['rev-parse', 'HEAD']);
    return { before, after, output: pulled.stdout.trim(), ...(kept !== undefined ? { budgetKept: kept } : {}) };
  }

  /** The log's last lines and the events they hold; no log yet (SpotManager never ran) reads as empty. */
  async readLog(lines = 200): Promise<{ lines: string[]; events: SpotEvent[]; missing: boolean }> {
    let text: string[];
    try {
      text = await this.files.tail(this.logPath, lines);
    } catch (err) {
      if (err instanceof SpotManagerError && err.kind === 'not_found') return { lines: [], events: [], missing: true };
      throw err;
    }
    // Masked here, before any line leaves for Slack (/spot log, run threads): a log can quote a credential.
    const kept = text.filter((l) => l.length > 0).map((l) => maskText(l));
    return { lines: kept, events: parseLog(kept), missing: false };
  }

  /**
   * The log's lines written since `from` (a position a previous call returned), however many
   * were written meanwhile, up to `maxBytes` a call; without `from`, its last `maxBytes`. A log
   * rotated or truncated since is read from its start (`restarted`). No log yet reads as empty.
   */
  async readLogFrom(
    from: FilePosition | undefined,
    maxBytes = 256 * 1024,
  ): Promise<{ lines: string[]; position?: FilePosition; restarted: boolean }> {
    const r = await this.files.readFrom(this.logPath, from, maxBytes);
    if (!r) return { lines: [], restarted: from !== undefined };
    return { ...r, lines: r.lines.filter((l) => l.length > 0).map((l) => maskText(l)) };
  }

  /** What its last run said (exposure, utility, requests, trouble). */
  async lastRun(lines = 400): Promise<RunSummary | undefined> {
    return lastRun((await this.readLog(lines)).events);
  }

  private parse(text: string): EtlSettings {
    try {
      return readEtlSettings(text, `${this.settingsPath} on ${this.where}`);
    } catch (err) {
      if (err instanceof SettingsFileError) throw new SpotManagerError(err.message, 'settings');
      throw err;
    }
  }

  private state(text: string): CronState {
    const lines = etlLines(text, this.cfg.cronMarkers);
    if (!lines.length) {
      throw new SpotManagerError(
        `no ETL SpotManager line in ${this.cron.describe} (looked for ` +
          `${this.cfg.cronMarkers.join(' or ')}). Set spotManager.cronMarkers in opsbot.yaml.`,
        'cron',
      );
    }
    return {
      enabled: lines.some((l) => l.enabled),
      lines,
      marked: markedLines(text).filter((m) => lines.some((l) => l.text === DISABLED_MARK + m.text)),
      where: this.cron.describe,
    };
  }

  private async editCron<E extends { text: string; changed: number }>(
    edit: (text: string) => E,
  ): Promise<{ state: CronChange; edit: E }> {
    const { text, token } = await this.cron.read();
    this.state(text);
    const result = edit(text);
    if (result.changed) await this.cron.write(result.text, token);
    return { state: { ...this.state(result.text), changed: result.changed > 0 }, edit: result };
  }

  private relative(path: string): string {
    return path.startsWith(`${this.dir}/`) ? path.slice(this.dir.length + 1) : path;
  }

  private async git(args: string[]): Promise<string> {
    const r = await this.ssh.run(['git', '-C', this.dir, ...args]);
    if (r.code !== 0)
      throw new SpotManagerError(
        `git ${args.join(' ')} in ${this.dir} on ${this.where} failed: ${(r.stderr || r.stdout).trim().slice(0, 300)}`,
        'command',
      );
    return r.stdout.trim();
  }
}
