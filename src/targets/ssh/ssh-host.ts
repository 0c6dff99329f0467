import { readFileSync } from 'node:fs';
import { NodeSSH } from 'node-ssh';
import { loadKnownHosts, verifyHostKey, type HostKeyVerdict } from './known-hosts.js';
import { commandLine } from './quote.js';

export interface SshHostConfig {
  host: string;
  port: number;
  user: string;
  /** Private key file (from SSH_PRIVATE_KEY_PATH). */
  privateKeyPath: string;
  passphrase?: string;
  /** known_hosts file; required: host keys are verified, never trusted on first use. */
  knownHostsPath: string;
  connectTimeoutMs?: number;
  /**
   * Keep the connection open this long after its last command and reuse it, so that the several
   * commands of one plan share one handshake (each costs a few hundred ms). 0, the default: a
   * connection per command. Call close() when done with a host that reuses.
   */
  reuseForMs?: number;
}

export interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
  command: string;
}

/** An SSH problem in words an operator can act on. */
export class SshError extends Error {
  override name = 'SshError';
  constructor(
    message: string,
    readonly kind: 'unreachable' | 'auth' | 'host_key' | 'timeout' | 'config',
    readonly retryable: boolean,
  ) {
    super(message);
  }
}

const HOST_KEY_WORDS: Record<Exclude<HostKeyVerdict, 'trusted'>, string> = {
  unknown_host: 'is not in known_hosts',
  mismatch: 'presented a host key that does not match known_hosts (it changed, or this is not the host you think)',
  revoked: 'presented a revoked host key',
};

/**
 * One remote host over SSH (node-ssh). Commands are either the operator's fixed templates from
 * opsbot.yaml (`runTemplate`) or an argv whose every element is quoted (`run`): Slack text never
 * becomes shell syntax. A non-zero exit is returned, not thrown: callers decide, and say so.
 */
export class SshHost {
  /** The reused connection (reuseForMs > 0): commands in flight on it, and its idle timer. */
  private shared?: { ssh: Promise<NodeSSH>; busy: number; idle?: NodeJS.Timeout };

  constructor(readonly cfg: SshHostConfig) {}

  get where(): string {
    return `${this.cfg.user}@${this.cfg.host}:${this.cfg.port}`;
  }

  /** Runs an argv; each element is quoted for the remote shell. */
  run(argv: readonly string[], opts: RunOptions = {}): Promise<CommandResult> {
    return this.exec(commandLine(argv), opts);
  }

  /** Runs a command template from opsbot.yaml, as written there (it holds no user input). */
  runTemplate(template: string, opts: RunOptions = {}): Promise<CommandResult> {
    return this.exec(template, opts);
  }

  /** Closes a reused connection now (a host that does not reuse has nothing open between commands). */
  close(): void {
    const slot = this.shared;
    this.shared = undefined;
    if (slot) {
      clearTimeout(slot.idle);
      void slot.ssh.then(
        (ssh) => ssh.dispose(),
        () => undefined,
      );
    }
  }

  /** A connection for one command: a fresh one, or the shared one when reuseForMs is set. */
  private async acquire(): Promise<{ ssh: NodeSSH; release(): void }> {
    const keepMs = this.cfg.reuseForMs ?? 0;
    if (keepMs <= 0) {
      const ssh = await this.connect();
      return { ssh, release: () => ssh.dispose() };
    }
    let slot = this.shared;
    // A connection the server closed while idle is not reused.
    if (
      slot &&
      !(await slot.ssh.then(
        (c) => c.isConnected(),
        () => false,
      ))
    ) {
      if (this.shared === slot) this.shared = undefined;
      slot = undefined;
    }
    if (!slot) {
      const fresh: NonNullable<typeof this.shared> = { ssh: this.connect(), busy: 0 };
      fresh.ssh.catch(() => {
        if (this.shared === fresh) this.shared = undefined;
      });
      slot = this.shared = fresh;
    }
    const s = slot;
    clearTimeout(s.idle);
    s.busy++;
    let ssh: NodeSSH;
    try {
      ssh = await s.ssh;
    } catch (err) {
      s.busy--;
      throw err;
    }
    return {
      ssh,
      release: () => {
        if (--s.busy > 0) return;
        s.idle = setTimeout(() => {
          if (this.shared === s) this.shared = undefined;
          ssh.dispose();
        }, keepMs);
        s.idle.unref();
      },
    };
  }

  private async exec(command: string, opts: RunOptions): Promise<CommandResult> {
    const { ssh, release } = await this.acquire();
    try {
      // `timeout` on the remote side: closing an OpenSSH channel does not stop the command.
      const line = opts.timeoutSeconds ? `timeout ${Math.ceil(opts.timeoutSeconds)} ${command}` : command;
      const r = await ssh.execCommand(line, {
        ...(opts.cwd ? { cwd: opts.cwd } : {}),
        ...(opts.stdin !== undefined ? { stdin: opts.stdin } : {}),
        ...(opts.onStdout ? { onStdout: (c: Buffer) => opts.onStdout!(c.toString()) } : {}),
        ...(opts.onStderr ? { onStderr: (c: Buffer) => opts.onStderr!(c.toString()) } : {}),
      });
      return { code: r.code ?? (r.signal ? 128 : 0), stdout: r.stdout, stderr: r.stderr, command };
    } finally {
      release();
    }
  }

  private async connect(): Promise<NodeSSH> {
    const { host, port, user } = this.cfg;
    let known;
    let privateKey: string;
    try {
      known = loadKnownHosts(this.cfg.knownHostsPath);
    } catch (err) {
      throw new SshError(
        `cannot read known_hosts ${this.cfg.knownHostsPath} (${(err as NodeJS.ErrnoException).code ?? err}): set knownHosts in opsbot.yaml`,
        'config',
        false,
      );
    }
    try {
      privateKey = readFileSync(this.cfg.privateKeyPath, 'utf8');
    } catch (err) {
      throw new SshError(
        `cannot read the SSH key ${this.cfg.privateKeyPath} (${(err as NodeJS.ErrnoException).code ?? err}): check SSH_PRIVATE_KEY_PATH`,
        'config',
        false,
      );
    }
    let verdict: HostKeyVerdict = 'trusted';
    const ssh = new NodeSSH();
    try {
      await ssh.connect({
        host,
        port,
        username: user,
        privateKey,
        ...(this.cfg.passphrase ? { passphrase: this.cfg.passphrase } : {}),
        readyTimeout: this.cfg.connectTimeoutMs ?? 10_000,
        hostVerifier: (key: Buffer) => (verdict = verifyHostKey(known, host, port, key)) === 'trusted',
      });
      return ssh;
    } catch (err) {
      ssh.dispose();
      const msg = (err as Error).message ?? String(err);
      const code = (err as NodeJS.ErrnoException).code;
      if (verdict !== 'trusted')
        throw new SshError(
          `${host}:${port} ${HOST_KEY_WORDS[verdict]} (${this.cfg.knownHostsPath}): refusing to connect. Verify the host key and add it to that file.`,
          'host_key',
          false,
        );
      if (/authentication methods failed|All configured authentication/i.test(msg))
        throw new SshError(
          `${this.where} refused our key (SSH_PRIVATE_KEY_PATH): add its public key to the user's authorized_keys`,
          'auth',
          false,
        );
      if (/Timed out/i.test(msg))
        throw new SshError(
          `${this.where} did not answer within ${(this.cfg.connectTimeoutMs ?? 10_000) / 1000} s: check the host and the network`,
          'timeout',
          true,
        );
      throw new SshError(
        `cannot reach ${host}:${port} (${code ?? msg}): check that the host is up and sshd listens there`,
        'unreachable',
        true,
      );
    }
  }
}

export interface RunOptions {
  cwd?: string;
  timeoutSeconds?: number;
  /** Sent to the command's standard input: how a remote file's content travels, never inside the command line. */
  stdin?: string;
  onStdout?: (chunk: string) => void;
  onStderr?: (chunk: string) => void;
}
