import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../services/free-port.js';
import { requireBinary } from '../services/require-binary.js';
import { waitFor } from '../services/wait-for.js';
import {
  SERVICE_PROGRAM,
  brokenServerSource,
  deafServerSource,
  serverSource,
  supervisordConf,
} from './frontend-files.js';

/** What opsbot.yaml's `service:` says about this host, less the SSH part the caller knows. */
export interface FrontendServiceConfig {
  checkout: string;
  remote: string;
  branch: string;
  program: string;
  supervisorctl: string[];
  configFile: string;
  logFile: string;
  errorLogFile: string;
  healthUrl: string;
}

export interface FrontendHost {
  root: string;
  /** The frontend's git checkout (~/ActiveData on the real machine). */
  checkout: string;
  /** The bare repository the checkout pulls from (GitHub's mozilla/ActiveData). */
  origin: string;
  port: number;
  service: FrontendServiceConfig;
  /** A developer's commit pushed to origin's master; returns its sha. Nothing changes on the frontend. */
  pushCommit(message: string, files?: Record<string, string>): string;
  /** Pushes a commit whose server exits at start-up, as a bad deploy would. */
  pushBrokenCommit(message: string): string;
  /** Pushes a commit whose server runs but never answers (supervisor: RUNNING; health: refused). */
  pushDeafCommit(message: string): string;
  /** The checkout's HEAD, read directly (not through the bot). */
  head(): string;
  /** Runs git in the checkout, as someone logged in on the frontend would. */
  git(...args: string[]): string;
  supervisorctl(...args: string[]): { code: number; stdout: string };
  /** GET /__version__ from the running service, or undefined when it does not answer. */
  version(): Promise<{ source: string; branch: string; commit: string } | undefined>;
  /** Waits until supervisor says RUNNING and the service answers. */
  waitUntilServing(commit?: string): Promise<void>;
  stop(): Promise<void>;
}

const AUTHOR = ['-c', 'user.name=ActiveData Dev', '-c', 'user.email=dev@activedata.test'];

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', [...AUTHOR, ...args], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
}

/**
 * A test "frontend" machine laid out in a temp directory: a bare origin repository, a developer
 * clone that pushes to it, the frontend's checkout, and a private supervisord (Debian's
 * `supervisor`, its own config, socket and pidfile) running the service, a small Node HTTP server
 * that answers GET /__version__ with {source, branch, commit} of its checkout. The bot reaches it
 * over the test sshd, as it would reach ec2-user@frontend.
 */
export async function startFrontendHost(): Promise<FrontendHost> {
  const supervisord = requireBinary('supervisord', 'supervisor');
  const supervisorctl = requireBinary('supervisorctl', 'supervisor');
  requireBinary('git', 'git');
  requireBinary('curl', 'curl');
  const root = mkdtempSync(join(tmpdir(), 'opsbot-frontend-'));
  const origin = join(root, 'origin.git');
  const dev = join(root, 'dev');
  const checkout = join(root, 'home', 'ActiveData');
  const logs = join(root, 'logs');
  const run = join(root, 'run');
  for (const d of [logs, run, join(root, 'home')]) mkdirSync(d, { recursive: true });
  const port = await freePort();
  const configFile = join(checkout, 'resources', 'config', 'supervisord.conf');

  git(root, 'init', '--quiet', '--bare', '--initial-branch=master', origin);
  git(root, 'clone', '--quiet', origin, dev);
  const write = (files: Record<string, string>) => {
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(join(dev, path, '..'), { recursive: true });
      writeFileSync(join(dev, path), text);
    }
  };
  const pushCommit = (message: string, files: Record<string, string> = { 'CHANGES.md': `${message}\n` }) => {
    write(files);
    git(dev, 'add', '--all');
    git(dev, 'commit', '--quiet', '--allow-empty', '-m', message);
    git(dev, 'push', '--quiet', 'origin', 'HEAD:master');
    return git(dev, 'rev-parse', 'HEAD');
  };
  // The repository carries its supervisord.conf, as ActiveData's resources/config does.
  pushCommit('ActiveData service', {
    'server.cjs': serverSource(),
    'resources/config/supervisord.conf': supervisordConf({ checkout, logs, run, port, node: process.execPath }),
    'CHANGES.md': 'first\n',
  });
  git(root, 'clone', '--quiet', origin, checkout);

  const ctl = (...args: string[]) => {
    const r = spawnSync(supervisorctl, ['-c', configFile, ...args], { encoding: 'utf8' });
    return { code: r.status ?? 1, stdout: `${r.stdout}${r.stderr}` };
  };
  const version = async () => {
    try {
      const res = await fetch(`http://127.0.0.1:${port}/__version__`, { signal: AbortSignal.timeout(2000) });
      return res.ok ? ((await res.json()) as { source: string; branch: string; commit: string }) : undefined;
    } catch {
      return undefined;
    }
  };
  const waitUntilServing = (commit?: string) =>
    waitFor(
      async () => {
        const v = await version();
        return /RUNNING/.test(ctl('status', SERVICE_PROGRAM).stdout) && !!v && (!commit || v.commit === commit);
      },
      `${SERVICE_PROGRAM} to be RUNNING and serving ${commit ?? 'its checkout'} (log: ${join(run, 'supervisord.log')})`,
      20_000,
    );

  // Without -n supervisord daemonizes: the call returns once its socket and pidfile exist.
  const started = spawnSync(supervisord, ['-c', configFile], { encoding: 'utf8' });
  if (started.status !== 0)
    throw new Error(`supervisord did not start (exit ${started.status}): ${started.stderr.trim()}`);
  await waitUntilServing();

  return {
    root,
    checkout,
    origin,
    port,
    service: {
      checkout,
      remote: 'origin',
      branch: 'master',
      program: SERVICE_PROGRAM,
      supervisorctl: [supervisorctl, '-c', configFile],
      configFile,
      logFile: join(logs, 'active_data.log'),
      errorLogFile: join(logs, 'active_data.error.log'),
      healthUrl: `http://127.0.0.1:${port}/__version__`,
    },
    pushCommit,
    pushBrokenCommit: (message) => pushCommit(message, { 'server.cjs': brokenServerSource() }),
    pushDeafCommit: (message) => pushCommit(message, { 'server.cjs': deafServerSource() }),
    head: () => git(checkout, 'rev-parse', 'HEAD'),
    git: (...args) => git(checkout, ...args),
    supervisorctl: ctl,
    version,
    waitUntilServing,
    async stop() {
      const pidFile = join(run, 'supervisord.pid');
      if (existsSync(pidFile)) {
        const pid = Number(readFileSync(pidFile, 'utf8').trim());
        // supervisord stops its programs before it exits.
        try {
          process.kill(pid, 'SIGTERM');
        } catch {
          /* already gone */
        }
        await waitFor(() => !alive(pid), `supervisord pid ${pid} to exit`, 15_000);
      }
      rmSync(root, { recursive: true, force: true });
    },
  };
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
