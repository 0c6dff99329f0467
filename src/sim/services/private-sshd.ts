import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port.js';
import { probePort } from './probe-port.js';
import { waitFor } from './wait-for.js';
import { requireBinary } from './require-binary.js';

export interface PrivateSshd {
  host: '127.0.0.1';
  port: number;
  /** The account the tests log in as: whoever runs them (root in CI). */
  username: string;
  privateKeyPath: string;
  /** The client's public key line (what authorized_keys holds). */
  publicKey: string;
  /** A known_hosts file with one line: `[127.0.0.1]:PORT ssh-ed25519 AAAA…`. */
  knownHostsPath: string;
  hostKeyPath: string;
  dir: string;
  /** Stops the daemon (waits until its port is closed) and removes its keys and config. */
  stop(): Promise<void>;
}

export interface Ed25519Key {
  privateKeyPath: string;
  /** `ssh-ed25519 AAAA… comment` */
  publicKey: string;
}

/** A fresh ed25519 key pair without passphrase, written to `path` and `path.pub`. */
export function makeEd25519Key(path: string, comment: string): Ed25519Key {
  const keygen = requireBinary('ssh-keygen', 'openssh-client');
  execFileSync(keygen, ['-q', '-t', 'ed25519', '-N', '', '-C', comment, '-f', path], { stdio: 'ignore' });
  return { privateKeyPath: path, publicKey: readFileSync(`${path}.pub`, 'utf8').trim() };
}

/**
 * Starts a private OpenSSH server on a free loopback port, with its own host key and one
 * authorized client key, all in a temporary directory: a real sshd for the ssh target's tests,
 * touching neither the machine's sshd nor anyone's ~/.ssh.
 */
export async function startPrivateSshd(): Promise<PrivateSshd> {
  const sshd = requireBinary('sshd', 'openssh-server');
  // sshd refuses to start without its privilege separation directory.
  try {
    mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
  } catch {
    /* not root: sshd says what it misses */
  }
  const dir = mkdtempSync(join(tmpdir(), 'opsbot-sshd-'));
  const host = makeEd25519Key(join(dir, 'host_ed25519'), 'opsbot-test-host');
  const client = makeEd25519Key(join(dir, 'client_ed25519'), 'opsbot-test-client');
  writeFileSync(join(dir, 'authorized_keys'), `${client.publicKey}\n`, { mode: 0o600 });
  const port = await freePort();
  const username = userInfo().username;
  const config = join(dir, 'sshd_config');
  writeFileSync(
    config,
    [
      `Port ${port}`,
      'ListenAddress 127.0.0.1',
      `HostKey ${host.privateKeyPath}`,
      `PidFile ${join(dir, 'sshd.pid')}`,
      `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`,
      `AllowUsers ${username}`,
      'PubkeyAuthentication yes',
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      'UsePAM no',
      'PermitRootLogin prohibit-password',
      // The temp dir's owner and modes are not what StrictModes wants for a home directory.
      'StrictModes no',
      'PrintMotd no',
      // Sessions get a home of their own: the machine user's ~/.bashrc (which bash reads for
      // every command sshd runs) is not ours to run. On this machine it runs `pyenv init`, and a
      // command the tests end on purpose (a deadline, an abort) killed there left pyenv's lock
      // file behind, after which every later SSH command waited on it (seen twice).
      `SetEnv HOME=${dir}`,
      'Subsystem sftp internal-sftp',
      '',
    ].join('\n'),
  );

  const check = spawnSync(sshd, ['-t', '-f', config], { encoding: 'utf8' });
  if (check.status !== 0) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`sshd rejected its test configuration (${config}): ${check.stderr.trim() || check.stdout.trim()}`);
  }
  const log = join(dir, 'sshd.log');
  // Without -D sshd daemonizes: the call returns once it listens, and the pid file names it.
  const run = spawnSync(sshd, ['-f', config, '-E', log], { encoding: 'utf8' });
  if (run.status !== 0)
    throw new Error(`sshd did not start (exit ${run.status}): ${run.stderr.trim()} ${readLog(log)}`);
  await waitFor(() => answersWithBanner(port), `sshd on port ${port} to greet (log: ${log})`);

  const knownHostsPath = join(dir, 'known_hosts');
  const [keyType, keyBlob] = host.publicKey.split(' ');
  writeFileSync(knownHostsPath, `[127.0.0.1]:${port} ${keyType} ${keyBlob}\n`);

  const stop = async () => {
    const pidFile = join(dir, 'sshd.pid');
    if (existsSync(pidFile)) {
      const pid = Number(readFileSync(pidFile, 'utf8').trim());
      try {
        process.kill(pid, 'SIGTERM');
      } catch {
        /* already gone */
      }
      await waitFor(async () => !alive(pid) && !(await answersWithBanner(port)), `sshd pid ${pid} to exit`);
    }
    rmSync(dir, { recursive: true, force: true });
  };
  return {
    host: '127.0.0.1',
    port,
    username,
    privateKeyPath: client.privateKeyPath,
    publicKey: client.publicKey,
    knownHostsPath,
    hostKeyPath: host.privateKeyPath,
    dir,
    stop,
  };
}

/** True once something on the port speaks SSH (sends its `SSH-2.0-…` identification line). */
function answersWithBanner(port: number): Promise<boolean> {
  return probePort(port, { answers: (d) => d.toString('latin1').startsWith('SSH-2.0-') });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function readLog(path: string): string {
  return existsSync(path) ? readFileSync(path, 'utf8').trim() : '';
}
