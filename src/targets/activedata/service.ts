import { homedir } from 'node:os';
import { join } from 'node:path';
import type { ServiceConfig } from '../../config/estate.js';
import { SshHost, type SshHostConfig } from '../ssh/index.js';
import { readServiceConfig, type ConfigFile } from './config-reader.js';
import { GitCheckout, type CommitInfo } from './git-checkout.js';
import { HealthProbe, type HealthAnswer } from './health.js';
import { readLog, type LogExcerpt } from './log-reader.js';
import { Supervisor, type ProgramStatus } from './supervisor.js';

/** The key the bot logs in with: from the environment (SSH_PRIVATE_KEY_PATH), never from opsbot.yaml. */
export interface SshKey {
  privateKeyPath: string;
  passphrase?: string;
}

export interface ServiceStatus {
  where: string;
  programs: ProgramStatus[];
  /** Why supervisor could not be asked, when it could not. */
  supervisorError?: string;
  commit?: CommitInfo;
  branch?: string;
  dirty?: string[];
  checkoutError?: string;
  health: HealthAnswer;
}

/**
 * The ActiveData service on its frontend machine: the git checkout, supervisor, the health URL,
 * the logs and supervisord.conf, all over one SSH host from opsbot.yaml's `service:`.
 */
export class ActiveDataService {
  readonly ssh: SshHost;
  readonly checkout: GitCheckout;
  readonly supervisor: Supervisor;
  readonly health: HealthProbe;

  constructor(
    readonly cfg: ServiceConfig,
    key: SshKey,
    ssh?: Partial<SshHostConfig>,
  ) {
    this.ssh = new SshHost({
      host: cfg.host,
      port: cfg.port,
      user: cfg.user,
      privateKeyPath: key.privateKeyPath,
      ...(key.passphrase ? { passphrase: key.passphrase } : {}),
      // OpenSSH's own default when opsbot.yaml names none; host keys are verified either way.
      knownHostsPath: cfg.knownHosts ?? join(homedir(), '.ssh', 'known_hosts'),
      // A plan is a dozen short commands: one handshake for them all.
      reuseForMs: 3_000,
      ...ssh,
    });
    this.checkout = new GitCheckout(this.ssh, cfg.checkout);
    this.supervisor = new Supervisor(this.ssh, cfg.supervisorctl, cfg.program);
    this.health = new HealthProbe(this.ssh, cfg.healthUrl);
  }

  /** `ec2-user@frontend:22`, for cards and messages. */
  get where(): string {
    return this.ssh.where;
  }

  /**
   * Supervisor state, uptime, current commit and the health answer, each asked on its own so
   * that one broken part (supervisord down, say) still shows the others.
   */
  async status(): Promise<ServiceStatus> {
    const [programs, checkout, health] = await Promise.all([
      this.supervisor.status().then(
        (p) => ({ p }),
        (err: Error) => ({ err }),
      ),
      Promise.all([this.checkout.commit('HEAD'), this.checkout.branch(), this.checkout.dirtyFiles()]).then(
        (c) => ({ c }),
        (err: Error) => ({ err }),
      ),
      this.health.probe(),
    ]);
    // An SSH failure is the same for all three: let the caller say the host is unreachable.
    for (const r of [programs, checkout]) if ('err' in r && r.err.name === 'SshError') throw r.err;
    return {
      where: this.where,
      programs: 'p' in programs ? programs.p : [],
      ...('err' in programs ? { supervisorError: programs.err.message } : {}),
      ...('c' in checkout
        ? { commit: checkout.c[0], ...(checkout.c[1] ? { branch: checkout.c[1] } : {}), dirty: checkout.c[2] }
        : { checkoutError: checkout.err.message }),
      health,
    };
  }

  /** The last `lines` of the service log (or its error log), optionally only lines containing `grep`. */
  logs(lines: number, opts: { grep?: string; errors?: boolean } = {}): Promise<LogExcerpt> {
    return readLog(this.ssh, opts.errors ? this.cfg.errorLogFile : this.cfg.logFile, lines, opts.grep);
  }

  /** supervisord.conf with secrets masked. */
  config(): Promise<ConfigFile> {
    return readServiceConfig(this.ssh, this.cfg.configFile);
  }

  /** Closes the SSH connection kept for reuse. */
  close(): void {
    this.ssh.close();
  }

  /** The last lines of the error log, for a failure message; empty when it cannot be read. */
  async errorLogTail(lines = 10): Promise<string> {
    return readLog(this.ssh, this.cfg.errorLogFile, lines).then(
      (l) => l.text,
      () => '',
    );
  }
}
