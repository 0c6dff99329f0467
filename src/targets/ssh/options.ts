import { SSH_DEFAULTS } from './defaults.js';

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
  /** A command's deadline unless the call sets its own (`RunOptions.deadlineMs`); default SSH_DEFAULTS. */
  commandTimeoutMs?: number;
  /**
   * Run commands on a pseudo-terminal. OpenSSH ends a command only when its terminal goes: without
   * one, a command past its deadline or aborted keeps running on the host after we close the
   * channel. With one, stderr arrives merged into stdout (and standard input is not for data).
   */
  pty?: boolean;
  keepaliveIntervalMs?: number;
  keepaliveCountMax?: number;
  /** Aborting it ends every command of this host as RunOptions.signal does (a run's `ctx.signal`). */
  signal?: AbortSignal;
  /**
   * Keep the connection open this long after its last command and reuse it, so that the several
   * commands of one plan share one handshake (each costs a few hundred ms). 0, the default: a
   * connection per command. Call close() when done with a host that reuses.
   */
  reuseForMs?: number;
}

/** ssh2's timing settings of a connection: how long connecting may take, and the keepalive. */
export function connectOptions(cfg: SshHostConfig): {
  readyTimeout: number;
  keepaliveInterval: number;
  keepaliveCountMax: number;
} {
  return {
    readyTimeout: cfg.connectTimeoutMs ?? SSH_DEFAULTS.connectTimeoutMs,
    keepaliveInterval: cfg.keepaliveIntervalMs ?? SSH_DEFAULTS.keepaliveIntervalMs,
    keepaliveCountMax: cfg.keepaliveCountMax ?? SSH_DEFAULTS.keepaliveCountMax,
  };
}

export interface RunOptions {
  cwd?: string;
  /** Wraps the command in the host's `timeout`: ended on the host itself after this long. */
  timeoutSeconds?: number;
  /**
   * The client-side deadline: past it the channel is closed and the call throws SshError
   * 'timeout'. Default: the host's commandTimeoutMs, else SSH_DEFAULTS.commandTimeoutMs.
   */
  deadlineMs?: number;
  /** Aborting it ends the command the same way; the call throws SshError 'aborted'. */
  signal?: AbortSignal;
  /** Overrides the host's `pty` for this command. */
  pty?: boolean;
  /** Sent to the command's standard input: how a remote file's content travels, never inside the command line. */
  stdin?: string;
  onStdout?: (chunk: string) => void;
  onStderr?: (chunk: string) => void;
  /**
   * Called once the connection is up, right before the command is sent: a last check of the
   * facts the command depends on, as late as possible (connecting takes hundreds of ms). If it
   * throws, nothing is sent and the call throws that error.
   */
  ready?: () => Promise<void>;
}
