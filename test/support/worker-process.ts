import { spawn, type ChildProcess } from 'node:child_process';
import { inject } from 'vitest';
import { SIM_DEFAULTS } from '../../src/sim/slack/index.js';
import type { DrainHarness } from './drain-fixture.js';

export const CRASH_TIMING = {
  drainTiming: { pollMs: 100, stallAfterMs: 60_000 },
  cardUpdates: { perMessageMs: 250, globalGapMs: 0 },
};

export interface WorkerProcessOptions {
  /** Booted but taking no job until it gets SIGUSR2 (resolves when booted). */
  held?: boolean;
  /** Receives the worker's log (warnings and worse) instead of silence. */
  log?: (chunk: string) => void;
}

/**
 * Starts test/fixtures/worker-process.ts: the production worker wiring in its own process, on the
 * harness's Redis prefix, estate (as the harness parsed it) and Slack stand-in. Resolves when ready.
 */
export function startWorkerProcess(
  h: DrainHarness,
  prefix: string,
  env: NodeJS.ProcessEnv = {},
  opts: WorkerProcessOptions = {},
): Promise<ChildProcess> {
  const config = {
    redisUrl: inject('redisUrl'),
    prefix,
    botToken: SIM_DEFAULTS.botToken,
    slackApiUrl: h.stack.slack.apiUrl,
    estate: h.stack.estate,
    ...CRASH_TIMING,
  };
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/fixtures/worker-process.ts'], {
    env: {
      ...process.env,
      ...env,
      OPSBOT_TEST_WORKER: JSON.stringify(config),
      LOG_LEVEL: opts.log ? 'warn' : 'silent',
      ...(opts.held ? { OPSBOT_TEST_START_ON_SIGUSR2: '1' } : {}),
    },
    stdio: ['ignore', 'pipe', opts.log ? 'pipe' : 'inherit'],
  });
  if (opts.log) child.stderr?.on('data', (d: Buffer) => opts.log!(d.toString()));
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => {
      if (d.toString().includes(opts.held ? 'worker booted' : 'worker ready')) resolve(child);
    });
    child.on('exit', (code) => reject(new Error(`worker exited early (${code})`)));
  });
}

/** Resolves once the process is gone (at once if it already is): a SIGKILLed worker, or one that killed itself. */
export const exited = (c: ChildProcess): Promise<void> =>
  new Promise<void>((resolve) => {
    if (c.exitCode !== null || c.signalCode !== null) resolve();
    else c.once('exit', () => resolve());
  });
