import { readFileSync } from 'node:fs';
import { NodeSSH, type SSHExecCommandResponse } from 'node-ssh';
import { SSH_DEFAULTS } from './defaults.js';
import { connectOptions, type RunOptions, type SshHostConfig } from './options.js';
import { loadKnownHosts, verifyHostKey, type HostKeyVerdict } from './known-hosts.js';
import { commandLine } from './quote.js';
import { SshError } from './ssh-error.js';

export interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
  command: string;
}

/** The one event of ssh2's Client we listen to (ssh2's own types are not installed). */
interface ErrorEmitter {
  on(event: 'error', listener: (err: Error) => void): unknown;
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
  /** The last error each open connection reported (a reset socket), to say why a command was cut short. */
  private readonly lastErrors = new WeakMap<NodeSSH, Error>();

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
  private async acquire(): Promise<{ ssh: NodeSSH; release: () => void }> {
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
    const deadlineMs = opts.deadlineMs ?? this.cfg.commandTimeoutMs ?? SSH_DEFAULTS.commandTimeoutMs;
    const signals = [this.cfg.signal, opts.signal].filter((x): x is AbortSignal => x !== undefined);
    if (signals.some((x) => x.aborted)) throw this.aborted(command);
    const { ssh, release } = await this.acquire();
    // Ends the command early: the deadline passed or the signal aborted. Settles the call at
    // once, whatever the connection does (a half-open one never answers the channel's close).
    let stop: ((why: 'timeout' | 'aborted') => void) | undefined;
    let channel: { close(): unknown } | undefined;
    const stopped = new Promise<never>((_, reject) => {
      stop = (why) => {
        try {
          channel?.close();
        } catch {
          // The channel is gone already: nothing left to end.
        }
        // A connection that timed out a command may be the half-open one: not reused.
        this.forget(ssh);
        reject(why === 'timeout' ? this.pastDeadline(command, deadlineMs) : this.aborted(command));
      };
    });
    const timer = setTimeout(() => stop?.('timeout'), deadlineMs);
    const onAbort = () => stop?.('aborted');
    for (const x of signals) x.addEventListener('abort', onAbort, { once: true });
    try {
      if (opts.ready) await Promise.race([opts.ready(), stopped]);
      // `timeout` on the remote side: closing an OpenSSH channel does not stop the command.
      const line = opts.timeoutSeconds ? `timeout ${Math.ceil(opts.timeoutSeconds)} ${command}` : command;
      const pty = opts.pty ?? this.cfg.pty ?? false;
      const running = ssh.execCommand(line, {
        ...(opts.cwd ? { cwd: opts.cwd } : {}),
        ...(opts.stdin !== undefined ? { stdin: opts.stdin } : {}),
        ...(opts.onStdout ? { onStdout: (c: Buffer) => opts.onStdout!(c.toString()) } : {}),
        ...(opts.onStderr ? { onStderr: (c: Buffer) => opts.onStderr!(c.toString()) } : {}),
        // No echo and no CR before LF: the output reads as it would without a terminal.
        ...(pty ? { execOptions: { pty: { modes: { ECHO: 0, ONLCR: 0 } } } } : {}),
        // ssh2's own types are not installed: the one method we call.
        onChannel: (c: unknown) => {
          channel = c as { close(): unknown };
        },
      });
      // Once stopped, the command's own ending (a closed channel) is no news.
      running.catch(() => undefined);
      let r: SSHExecCommandResponse;
      try {
        r = await Promise.race([running, stopped]);
      } catch (err) {
        if (err instanceof SshError) throw err;
        // node-ssh checks its arguments with assert: a bug of ours, not the connection's.
        if ((err as NodeJS.ErrnoException).code === 'ERR_ASSERTION') throw err;
        throw this.dropped(ssh, err);
      }
      // Neither an exit status nor a signal: the connection ended before the command did (the
      // channel closes without a word), which must not read as exit 0.
      if (r.code === null && r.signal === null) throw this.dropped(ssh);
      return { code: r.code ?? 128, stdout: r.stdout, stderr: r.stderr, command };
    } finally {
      clearTimeout(timer);
      for (const x of signals) x.removeEventListener('abort', onAbort);
      stop = undefined;
      stopped.catch(() => undefined);
      release();
    }
  }

  /** A connection that let a command hang is not handed to the next one (reuseForMs). */
  private forget(ssh: NodeSSH): void {
    const slot = this.shared;
    if (!slot) return;
    void slot.ssh.then(
      (c) => {
        if (c === ssh && this.shared === slot) this.shared = undefined;
      },
      () => undefined,
    );
  }

  private pastDeadline(command: string, deadlineMs: number): SshError {
    const s = `${deadlineMs / 1000} s`;
    return new SshError(
      `\`${command}\` on ${this.where} did not finish within its deadline of ${s}: it was ended`,
      'timeout',
      true,
      `The command may have run in part. Check on ${this.cfg.host} what it did (and whether it still runs), ` +
        'then ask again; raise ssh.commandTimeoutMs in opsbot.yaml if it needs longer.',
    );
  }

  private aborted(command: string): SshError {
    return new SshError(`\`${command}\` on ${this.where} was ended: the run was stopped`, 'aborted', false);
  }

  /**
   * The connection was lost while a command ran (or as it started). Retryable, as a connection
   * reset is: the host may just be restarting; the step that ran the command decides what to redo.
   */
  private dropped(ssh: NodeSSH, err?: unknown): SshError {
    const cause = err ?? this.lastErrors.get(ssh);
    const code = (cause as NodeJS.ErrnoException | undefined)?.code;
    const why = code ?? (cause instanceof Error ? cause.message : undefined);
    return new SshError(
      `lost the connection to ${this.where} while a command ran${why ? ` (${why})` : ''}: it may have run in part`,
      'dropped',
      true,
      undefined,
      cause === undefined ? undefined : { cause },
    );
  }

  private async connect(): Promise<NodeSSH> {
    const { host, port, user } = this.cfg;
    let known;
    let privateKey: string;
    try {
      known = loadKnownHosts(this.cfg.knownHostsPath);
    } catch (err) {
      throw new SshError(
        `cannot read known_hosts ${this.cfg.knownHostsPath} (${(err as NodeJS.ErrnoException).code ?? String(err)}): ` +
          'set knownHosts in opsbot.yaml',
        'config',
        false,
      );
    }
    try {
      privateKey = readFileSync(this.cfg.privateKeyPath, 'utf8');
    } catch (err) {
      throw new SshError(
        `cannot read the SSH key ${this.cfg.privateKeyPath} (${(err as NodeJS.ErrnoException).code ?? String(err)}): ` +
          'check SSH_PRIVATE_KEY_PATH',
        'config',
        false,
      );
    }
    // Set by hostVerifier, a callback: the cast keeps the compiler from narrowing it to 'trusted'.
    let verdict = 'trusted' as HostKeyVerdict;
    const ssh = new NodeSSH();
    try {
      await ssh.connect({
        host,
        port,
        username: user,
        privateKey,
        ...(this.cfg.passphrase ? { passphrase: this.cfg.passphrase } : {}),
        ...connectOptions(this.cfg),
        hostVerifier: (key: Buffer) => (verdict = verifyHostKey(known, host, port, key)) === 'trusted',
      });
      // Once connected, node-ssh no longer listens for errors: a reset socket would be an
      // uncaught 'error'. Keep it instead, so that the command it cuts short says why.
      (ssh.connection as unknown as ErrorEmitter | null)?.on('error', (err) => this.lastErrors.set(ssh, err));
      return ssh;
    } catch (err) {
      ssh.dispose();
      const msg = (err as Error).message ?? String(err);
      const code = (err as NodeJS.ErrnoException).code;
      if (verdict !== 'trusted')
        throw new SshError(
          `${host}:${port} ${HOST_KEY_WORDS[verdict]} (${this.cfg.knownHostsPath}): refusing to connect. ` +
            'Verify the host key and add it to that file.',
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
          `${this.where} did not answer within ${connectOptions(this.cfg).readyTimeout / 1000} s: ` +
            'check the host and the network',
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
