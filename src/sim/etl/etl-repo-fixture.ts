import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BASE_WORKERS, etlSettingsFileText } from './etl-settings-fixture.js';

/** Where the ETL settings live in the fixture repository (etl.repo.settingsFiles). */
export const ETL_SETTINGS_FILE = 'resources/settings/etl.json';

export interface EtlRepoHost {
  /** The bare repository: GitHub's ActiveData-ETL for the bot. */
  origin: string;
  /** The manager host's checkout that the bot pushes from. */
  checkout: string;
  /** opsbot.yaml's etl.repo for this layout. */
  config: { checkout: string; remote: string; branch: string; settingsFiles: string[] };
  /**
   * A developer's commit (on top of their last one) pushed to origin's `branch` (default master);
   * returns its sha. The etl branch does not move.
   */
  pushCommit(message: string, files: Record<string, string>, branch?: string): string;
  /** Where a branch is at the origin (undefined when it does not exist). */
  head(branch: string): string | undefined;
}

const AUTHOR = ['-c', 'user.name=ETL Dev', '-c', 'user.email=etl@activedata.test'];
function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', [...AUTHOR, ...args], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
}

/**
 * The ETL's repository on the test host: a bare origin whose `etl` branch is what the instances
 * run, a developer clone that pushes new commits to master, and the manager's checkout the bot
 * works in (a clone of origin, reached over the test sshd).
 */
export function layOutEtlRepo(root: string): EtlRepoHost {
  const origin = join(root, 'ActiveData-ETL.git');
  const dev = join(root, 'etl-dev');
  const checkout = join(root, 'ActiveData-ETL');
  git(root, 'init', '--quiet', '--bare', '--initial-branch=master', origin);
  git(root, 'clone', '--quiet', origin, dev);
  const pushCommit = (message: string, files: Record<string, string>, branch = 'master') => {
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(join(dev, path, '..'), { recursive: true });
      writeFileSync(join(dev, path), text);
    }
    git(dev, 'add', '--all');
    git(dev, 'commit', '--quiet', '--allow-empty', '-m', message);
    git(dev, 'push', '--quiet', 'origin', `HEAD:${branch}`);
    return git(dev, 'rev-parse', 'HEAD');
  };
  const first = pushCommit('ETL: pulse logs to test results, test results to ES', {
    [ETL_SETTINGS_FILE]: etlSettingsFileText({ workers: BASE_WORKERS }),
    'testlog_etl/__init__.py': '',
  });
  git(dev, 'push', '--quiet', 'origin', `${first}:refs/heads/etl`);
  git(root, 'clone', '--quiet', origin, checkout);
  return {
    origin,
    checkout,
    config: { checkout, remote: 'origin', branch: 'etl', settingsFiles: [ETL_SETTINGS_FILE] },
    pushCommit,
    head: (branch) => {
      const out = execFileSync(
        'git',
        ['--git-dir', origin, 'for-each-ref', '--format=%(objectname)', `refs/heads/${branch}`],
        { encoding: 'utf8' },
      ).trim();
      return out || undefined;
    },
  };
}
