import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { etlSettingsText, esSettingsText, type EtlSettingsFixture } from './settings-fixture.js';

export interface SpotManagerHostOptions {
  /** A fresh directory on the host (the test sshd's host is this machine). */
  root: string;
  /** AWS_* variables of the stand-ins (credentials, region, AWS_ENDPOINT_URL_EC2/SQS). */
  awsEnv: Record<string, string>;
  settings?: EtlSettingsFixture;
  /** Running → set up, ms (the real DELAY_BEFORE_SETUP is a minute). */
  setupMs?: number;
  setupTimeoutMs?: number;
  /** Make the checkout a clone (branch beta) of a bare repository at `<root>/SpotManager.git`. */
  git?: boolean;
}

export interface SpotManagerHost {
  root: string;
  dir: string;
  cronFile: string;
  settingsPath: string;
  esSettingsPath: string;
  logPath: string;
  /** The bare "origin" when `git` was asked for. */
  origin?: string;
  /** The opsbot.yaml `spotManager` section for this layout. */
  config: { dir: string; cronFile: string };
  /** Extra environment for the next runs (e.g. SPOTSIM_HOLD_MS). */
  setEnv(vars: Record<string, string>): void;
}

/** Where the stand-in's program is, and how node runs it (TypeScript source through tsx, or the build). */
function standInCommand(): string {
  const built = fileURLToPath(new URL('./main.js', import.meta.url));
  if (existsSync(built)) return `${q(process.execPath)} ${q(built)}`;
  const source = fileURLToPath(new URL('./main.ts', import.meta.url));
  return `${q(process.execPath)} --import ${q(import.meta.resolve('tsx'))} ${q(source)}`;
}

const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
const git = (cwd: string, ...args: string[]) =>
  execFileSync(
    'git',
    ['-c', 'user.name=opsbot-test', '-c', 'user.email=opsbot@test.invalid', '-c', 'init.defaultBranch=beta', ...args],
    { cwd, stdio: 'pipe' },
  ).toString();

/**
 * A SpotManager checkout on the test host, as the runbook's manager machine has it: the ETL and
 * ES settings side by side, run scripts, a log directory and a crontab with the two lines (ETL
 * and ES) that cron runs every ten minutes. The ETL script runs the stand-in program.
 */
export function layOutSpotManagerHost(o: SpotManagerHostOptions): SpotManagerHost {
  const dir = join(o.root, 'SpotManager');
  for (const d of ['examples/config', 'examples/scripts', 'examples/logs', 'spot'])
    mkdirSync(join(dir, d), { recursive: true });
  const settingsPath = join(dir, 'examples/config/etl_settings.json');
  const esSettingsPath = join(dir, 'examples/config/es_settings.json');
  writeFileSync(settingsPath, etlSettingsText(o.settings));
  writeFileSync(esSettingsPath, esSettingsText());
  writeFileSync(join(dir, '.gitignore'), 'examples/logs/\nspot/sim.env\n');

  const env: Record<string, string> = {
    ...o.awsEnv,
    SPOTSIM_SETUP_MS: String(o.setupMs ?? 60_000),
    ...(o.setupTimeoutMs !== undefined ? { SPOTSIM_SETUP_TIMEOUT_MS: String(o.setupTimeoutMs) } : {}),
    // The SDK's Node-version notice is not SpotManager's to print.
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  };
  const envFile = join(dir, 'spot/sim.env');
  const writeEnv = () =>
    writeFileSync(
      envFile,
      Object.entries(env)
        .map(([k, v]) => `export ${k}=${q(v)}`)
        .join('\n') + '\n',
    );
  writeEnv();
  const script = (name: string, body: string) => {
    const p = join(dir, 'examples/scripts', name);
    writeFileSync(p, `#!/bin/sh\n${body}\n`);
    chmodSync(p, 0o755);
  };
  script(
    'run_etl.sh',
    `cd ${q(dir)} || exit 1\n. ./spot/sim.env\n` +
      `exec ${standInCommand()} --settings=./examples/config/etl_settings.json 2>>./examples/logs/etl.error.log`,
  );
  script(
    'run_es.sh',
    `cd ${q(dir)} || exit 1\n` +
      `echo "$(date -u '+%Y-%m-%d %H:%M:%S') - ES spot manager ran" >> examples/logs/examples_es.log`,
  );

  const cronFile = join(o.root, 'crontab');
  writeFileSync(
    cronFile,
    [
      '# m h  dom mon dow   command',
      `*/10 * * * * ${join(dir, 'examples/scripts/run_etl.sh')}`,
      `*/10 * * * * ${join(dir, 'examples/scripts/run_es.sh')}`,
      '',
    ].join('\n'),
  );

  let origin: string | undefined;
  if (o.git) {
    origin = join(o.root, 'SpotManager.git');
    git(o.root, 'init', '-q', '--bare', origin);
    git(dir, 'init', '-q');
    git(dir, 'checkout', '-q', '-b', 'beta');
    git(dir, 'add', '-A');
    git(dir, 'commit', '-q', '-m', 'SpotManager with ETL and ES settings');
    git(dir, 'remote', 'add', 'origin', origin);
    git(dir, 'push', '-q', 'origin', 'beta');
    git(dir, 'branch', '-q', '--set-upstream-to=origin/beta');
  }

  return {
    root: o.root,
    dir,
    cronFile,
    settingsPath,
    esSettingsPath,
    logPath: join(dir, 'examples/logs/examples_etl.log'),
    ...(origin ? { origin } : {}),
    config: { dir, cronFile },
    setEnv(vars) {
      Object.assign(env, vars);
      writeEnv();
    },
  };
}

/** A commit on the origin's beta branch, made from a scratch clone, as a developer pushing would. */
export function pushUpstream(host: SpotManagerHost, file: string, content: string, message: string): string {
  if (!host.origin) throw new Error('the SpotManager host was laid out without git');
  const scratch = join(host.root, `upstream-${Date.now()}`);
  git(host.root, 'clone', '-q', '-b', 'beta', host.origin, scratch);
  writeFileSync(join(scratch, file), content);
  git(scratch, 'add', '-A');
  git(scratch, 'commit', '-q', '-m', message);
  git(scratch, 'push', '-q', 'origin', 'beta');
  return git(scratch, 'rev-parse', 'HEAD').trim();
}
