import { spawn } from 'node:child_process';
import { describe, expect, inject, test } from 'vitest';
import { eventually } from '../support/wait.js';

describe('local mode', () => {
  test('starts with no Slack tokens and answers /es status typed on its terminal', async () => {
    const env = {
      ...process.env,
      REDIS_URL: inject('redisUrl'),
      SLACK_BOT_TOKEN: '',
      SLACK_SIGNING_SECRET: '',
      LOG_LEVEL: 'silent',
    };
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main/local.ts', '--terminal'], {
      env,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => {
      out += d;
    });
    child.stderr.on('data', (d) => {
      err += d;
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    try {
      await eventually(() => out.includes('alice> '), `the prompt (stderr: ${err})`, 20_000);
      child.stdin.write('/es status\n');
      await eventually(() => out.includes('active-data is GREEN'), 'the status message', 20_000);
      expect(out).toMatch(/node-12 +172\.31\.\d+\.\d+ +(spot|primary \(reliable\)|secondary \(reliable\))/);
      child.stdin.write('/es bogus\n');
      await eventually(
        () => out.includes('(only alice sees this)') && out.includes('unknown command "bogus" for /es'),
        'the usage reply',
      );
      child.stdin.write(':quit\n');
      expect(await exited).toBe(0);
    } finally {
      child.kill('SIGKILL');
    }
  }, 60_000);
});
