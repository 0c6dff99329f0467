/**
 * The SpotManager stand-in as a program, run by the test host's "cron" the way the real one is:
 * `cd ~/SpotManager; <this> --settings=./examples/config/etl_settings.json`. It reads the same
 * settings file, takes its lock, writes the same log, and talks to EC2 and SQS at the endpoints
 * of AWS_ENDPOINT_URL_EC2 / AWS_ENDPOINT_URL_SQS (the stand-ins) with the standard AWS variables.
 */
import { closeSync, existsSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { SpotLog } from './spot-log.js';
import { readStandInSettings } from './stand-in-settings.js';

const arg = process.argv.find((a) => a.startsWith('--settings='));
if (!arg) {
  process.stderr.write('usage: spot_manager --settings=PATH\n');
  process.exit(2);
}
const settingsPath = resolve(arg.slice('--settings='.length));
const settings = readStandInSettings(settingsPath);
const logPath = resolve(settings.debug?.log?.find((l) => l.filename)?.filename ?? 'examples/logs/examples_etl.log');
const log = new SpotLog(logPath);

/** One run at a time (SpotManager's SingleInstance): a live holder makes this run quit. */
const lockPath = join(dirname(logPath), `.${settingsPath.split('/').pop()}.lock`);
function takeLock(): boolean {
  if (existsSync(lockPath)) {
    const pid = Number(readFileSync(lockPath, 'utf8').trim());
    try {
      process.kill(pid, 0);
      return false;
    } catch {
      rmSync(lockPath, { force: true });
    }
  }
  try {
    const fd = openSync(lockPath, 'wx');
    writeSync(fd, String(process.pid));
    closeSync(fd);
    return true;
  } catch {
    return false;
  }
}

if (!takeLock()) {
  log.note('Another instance is already running, quitting.');
  process.exit(0);
}

// The SDK is loaded after the lock is taken: a run that quits at once should not pay for it.
const { EC2Client } = await import('@aws-sdk/client-ec2');
const { SQSClient } = await import('@aws-sdk/client-sqs');
const { runSpotManagerOnce } = await import('./stand-in.js');

const env = process.env;
const region = env.AWS_REGION ?? 'us-west-2';
const credentials =
  env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY
    ? { accessKeyId: env.AWS_ACCESS_KEY_ID, secretAccessKey: env.AWS_SECRET_ACCESS_KEY }
    : undefined;
const base = { region, maxAttempts: 2, ...(credentials ? { credentials } : {}) };
const ec2 = new EC2Client({ ...base, ...(env.AWS_ENDPOINT_URL_EC2 ? { endpoint: env.AWS_ENDPOINT_URL_EC2 } : {}) });
const sqs = new SQSClient({ ...base, ...(env.AWS_ENDPOINT_URL_SQS ? { endpoint: env.AWS_ENDPOINT_URL_SQS } : {}) });

let code = 0;
try {
  await runSpotManagerOnce(settings, { ec2, sqs }, log, {
    setupMs: Number(env.SPOTSIM_SETUP_MS ?? 60_000),
    ...(env.SPOTSIM_SETUP_TIMEOUT_MS ? { setupTimeoutMs: Number(env.SPOTSIM_SETUP_TIMEOUT_MS) } : {}),
  });
  // Tests hold the lock a while to see a second run quit.
  if (env.SPOTSIM_HOLD_MS) await new Promise((r) => setTimeout(r, Number(env.SPOTSIM_HOLD_MS)));
} catch (err) {
  log.error('Problem with spot manager', `${(err as Error).name}: ${(err as Error).message}`);
  code = 1;
} finally {
  rmSync(lockPath, { force: true });
  ec2.destroy();
  sqs.destroy();
}
process.exit(code);
