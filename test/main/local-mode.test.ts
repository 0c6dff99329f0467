import { spawn } from 'node:child_process';
import { describe, expect, inject, test } from 'vitest';
import { eventually } from '../support/wait.js';

/** Local mode on this terminal, with these options; what it printed, and its exit code. */
function startLocal(options: string[]) {
  const env = {
    ...process.env,
    REDIS_URL: inject('redisUrl'),
    SLACK_BOT_TOKEN: '',
    SLACK_SIGNING_SECRET: '',
    SLACK_APP_TOKEN: '',
    LOG_LEVEL: 'silent',
  };
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main/local.ts', ...options], {
    env,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const io = { out: '', err: '' };
  child.stdout.on('data', (d) => {
    io.out += d;
  });
  child.stderr.on('data', (d) => {
    io.err += d;
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  return { child, io, exited };
}

describe('local mode', () => {
  test('starts with no Slack tokens and answers /es status typed on its terminal', async () => {
    const { child, io, exited } = startLocal(['--terminal']);
    try {
      await eventually(() => io.out.includes('alice> '), `the prompt (stderr: ${io.err})`, 20_000);
      expect(io.out).toMatch(/bot http:\/\/127\.0\.0\.1:\d+\/slack\/events/);
      child.stdin.write('/es status\n');
      await eventually(() => io.out.includes('active-data is GREEN'), 'the status message', 20_000);
      expect(io.out).toMatch(/node-12 +172\.31\.\d+\.\d+ +(spot|primary \(reliable\)|secondary \(reliable\))/);
      child.stdin.write('/es bogus\n');
      await eventually(
        () => io.out.includes('(only alice sees this)') && io.out.includes('unknown command "bogus" for /es'),
        'the usage reply',
      );
      child.stdin.write(':quit\n');
      expect(await exited).toBe(0);
    } finally {
      child.kill('SIGKILL');
    }
  }, 60_000);

  test('--socket: the bot listens over the Socket Mode stand-in, the terminal’s commands go through it', async () => {
    const { child, io, exited } = startLocal(['--terminal', '--socket']);
    try {
      await eventually(() => io.out.includes('alice> '), `the prompt (stderr: ${io.err})`, 20_000);
      expect(io.out).toMatch(/bot over Socket Mode \(ws:\/\/127\.0\.0\.1:\d+\)/);
      expect(io.out).not.toContain('/slack/events');
      child.stdin.write('/es status\n');
      await eventually(() => io.out.includes('active-data is GREEN'), 'the status message', 20_000);
      child.stdin.write('/es bogus\n');
      await eventually(() => io.out.includes('unknown command "bogus" for /es'), 'the usage reply');
      child.stdin.write(':quit\n');
      expect(await exited).toBe(0);
    } finally {
      child.kill('SIGKILL');
    }
  }, 60_000);

  test('an unknown option is refused at once, naming the ones it takes', async () => {
    const { io, exited } = startLocal(['--sockets']);
    expect(await exited).toBe(1);
    expect(io.err).toContain('unknown option --sockets');
    expect(io.err).toContain('Run it with --terminal, --socket, both or neither.');
  }, 20_000);
});
