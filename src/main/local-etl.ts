import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { GetQueueUrlCommand, SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { EstateInput } from '../config/estate.js';
import type { Logger } from '../log.js';
import { startAwsStandIns, type AwsStandIns } from '../sim/aws/index.js';
import { BASE_WORKERS, ETL_SETTINGS_FILE, PERF_WORKERS, etlSettingsFileText, layOutEtlRepo } from '../sim/etl/index.js';
import { startPrivateSshd, type PrivateSshd } from '../sim/services/private-sshd.js';
import { layOutSpotManagerHost, runCronTick } from '../sim/spotmanager/index.js';
import { SshHost } from '../targets/ssh/index.js';

/** The ETL's side of local mode: AWS stand-ins always, SpotManager's host when an sshd can be had. */
export interface LocalEtl {
  /** The `aws`, `etl`, `spotManager` (and `manager`) sections pointing at the stand-ins. */
  estate: Partial<EstateInput>;
  /** AWS credentials of the stand-ins and the private sshd's key: what the bot reads from its environment. */
  env: Record<string, string>;
  /** Why there is no SpotManager host: said by every /etl command that needs it. */
  managerUnavailable?: string;
  /** One line for the start-up message. */
  describe: string;
  /** `/etl deploy <sha>`: a commit of the local ETL repository that adds a pipeline. */
  tryDeploy?: string;
  close(): Promise<void>;
}

export interface LocalEtlOptions {
  log: Logger;
  /** How often "cron" runs SpotManager (the real one: every 10 minutes); 0 = never by itself. */
  cronTickMs?: number;
  /** The sshd to use (tests inject a failing one); default: a private one on loopback. */
  startSshd?: () => Promise<PrivateSshd>;
}

/** The ETL's queues and buckets (FACTS), plus the backfill's source and destination. */
const QUEUES = [
  'active-data-etl',
  'active-data-index',
  'active-data-index-perf',
  'active-data-index-jobs',
  'active-data-index-codecoverage',
];
const BUCKETS = [
  'active-data-perfherder',
  'active-data-perf',
  'active-data-jobs',
  'ekyle-test-result',
  'active-data-codecoverage',
  'ekyle-pulse-logger',
];

/**
 * Starts the EC2 simulator and fauxqs (SQS, S3) so that local mode never touches the cloud, and,
 * when a private sshd can be started (root, or openssh-server installed), SpotManager's host on it:
 * SpotManager's checkout and crontab, the ETL repository with a commit to deploy, and a "cron"
 * that runs SpotManager every `cronTickMs`. Without the sshd, /etl commands say why.
 */
export async function startLocalEtl(o: LocalEtlOptions): Promise<LocalEtl> {
  // Instances take seconds, not minutes, to come up: local mode is for watching a deploy happen.
  const aws = await startAwsStandIns({
    timing: { fulfilMs: 3_000, bootMs: 5_000, shutdownMs: 3_000 },
    queues: QUEUES,
    buckets: BUCKETS,
  });
  await seed(aws);
  const estate: Partial<EstateInput> = { aws: aws.estateAws };
  // The stand-ins' key, and no session token a developer's shell may hold for the real account.
  const env: Record<string, string> = { ...aws.env, AWS_SESSION_TOKEN: '' };
  let sshd: PrivateSshd;
  try {
    sshd = await (o.startSshd ?? startPrivateSshd)();
  } catch (err) {
    const reason =
      'local mode has no SpotManager host: it needs a private sshd, which could not start ' +
      `(${(err as Error).message.split('\n')[0]}). ` +
      'Run local mode as root, or install openssh-server (apt-get install openssh-server).';
    o.log.warn({ err: (err as Error).message }, 'local mode: no SpotManager host');
    return {
      estate,
      env,
      managerUnavailable: reason,
      describe: `EC2 ${aws.ec2.url}, SQS/S3 ${aws.estateAws.endpoints.sqs} (no SpotManager host: ${reason})`,
      close: () => aws.close(),
    };
  }
  const root = mkdtempSync(join(tmpdir(), 'opsbot-local-etl-'));
  const host = layOutSpotManagerHost({
    root,
    awsEnv: aws.hostEnv,
    setupMs: 15_000,
    git: true,
    settings: { minimumUtility: 1 },
  });
  const repo = layOutEtlRepo(root);
  const commit = repo.pushCommit('New pipeline: perfherder results to the perf table', {
    [ETL_SETTINGS_FILE]: etlSettingsFileText({ workers: [...BASE_WORKERS, ...PERF_WORKERS] }),
  });
  Object.assign(estate, {
    manager: { host: sshd.host, port: sshd.port, user: sshd.username, knownHosts: sshd.knownHostsPath },
    spotManager: host.config,
    etl: {
      repo: repo.config,
      deploy: { pollMs: 3_000, stopQuietMs: 5_000, quietMs: 60_000 },
      backfill: { pollMs: 3_000 },
    },
  });
  env.SSH_PRIVATE_KEY_PATH = sshd.privateKeyPath;
  const cron = startCron(
    new SshHost({
      host: sshd.host,
      port: sshd.port,
      user: sshd.username,
      privateKeyPath: sshd.privateKeyPath,
      knownHostsPath: sshd.knownHostsPath,
    }),
    host.cronFile,
    o,
  );
  return {
    estate,
    env,
    tryDeploy: commit.slice(0, 7),
    describe:
      `EC2 ${aws.ec2.url}, SQS/S3 ${aws.estateAws.endpoints.sqs}, ` +
      `SpotManager on ${sshd.username}@127.0.0.1:${sshd.port} (cron every ${Math.round((o.cronTickMs ?? 0) / 1000)} s)`,
    async close() {
      await cron.stop();
      await sshd.stop();
      await aws.close();
      rmSync(root, { recursive: true, force: true });
    },
  };
}

/** Runs SpotManager's crontab every `cronTickMs`, one run at a time, as cron would. */
function startCron(ssh: SshHost, cronFile: string, o: LocalEtlOptions): { stop(): Promise<void> } {
  let running: Promise<unknown> | undefined;
  const tick = () => {
    if (running) return;
    running = runCronTick(ssh, cronFile)
      .catch((err: Error) => o.log.warn({ err: err.message }, 'local cron tick failed'))
      .finally(() => {
        running = undefined;
      });
  };
  // A first run soon after the start, so /etl status has something to show.
  const first = o.cronTickMs ? setTimeout(tick, 2_000) : undefined;
  const timer = o.cronTickMs ? setInterval(tick, o.cronTickMs) : undefined;
  first?.unref();
  timer?.unref();
  return {
    async stop() {
      clearTimeout(first);
      clearInterval(timer);
      await running;
    },
  };
}

/** Work for the ETL (SpotManager sizes the fleet by the queue) and pulse blocks the backfill can find. */
async function seed(aws: AwsStandIns): Promise<void> {
  const credentials = { accessKeyId: aws.env.AWS_ACCESS_KEY_ID, secretAccessKey: aws.env.AWS_SECRET_ACCESS_KEY };
  const sqs = new SQSClient({ region: aws.region, endpoint: aws.estateAws.endpoints.sqs, credentials });
  const s3 = new S3Client({
    region: aws.region,
    endpoint: aws.estateAws.endpoints.s3,
    forcePathStyle: true,
    credentials,
  });
  try {
    const url = (await sqs.send(new GetQueueUrlCommand({ QueueName: 'active-data-etl' }))).QueueUrl;
    for (let i = 0; i < 20; i += 10) {
      await sqs.send(
        new SendMessageBatchCommand({
          QueueUrl: url,
          Entries: Array.from({ length: 10 }, (_, k) => ({
            Id: String(k),
            MessageBody: JSON.stringify({ bucket: 'ekyle-pulse-logger', key: `tc.${i + k}`, timestamp: 1452640000 }),
          })),
        }),
      );
    }
    await Promise.all([
      ...Array.from({ length: 30 }, (_, k) =>
        s3.send(new PutObjectCommand({ Bucket: 'ekyle-pulse-logger', Key: `tc.${k}`, Body: '{}' })),
      ),
      ...Array.from({ length: 20 }, (_, k) =>
        s3.send(new PutObjectCommand({ Bucket: 'ekyle-test-result', Key: `tc.${k}:${1000 + k}.1`, Body: '{}' })),
      ),
    ]);
  } finally {
    sqs.destroy();
    s3.destroy();
  }
}
