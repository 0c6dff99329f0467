import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateTagsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { GetQueueUrlCommand, SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { inject } from 'vitest';
import { parseEstate } from '../../src/config/load-estate.js';
import type { SpotManagerConfig } from '../../src/config/estate.js';
import { startAwsStandIns, type AwsStandIns, type AwsStandInOptions } from '../../src/sim/aws/index.js';
import {
  BROKEN_SETUP_TAG,
  layOutSpotManagerHost,
  runCronTick,
  type SpotManagerHost,
  type SpotManagerHostOptions,
} from '../../src/sim/spotmanager/index.js';
import { EtlTargets } from '../../src/targets/etl/index.js';
import { SshHost, type CommandResult } from '../../src/targets/ssh/index.js';

/** The SDK's "Node 22 from 2027" notice, once per client, is noise in test output. */
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

export const ETL_QUEUES = [
  'active-data-etl',
  'active-data-index',
  'active-data-index-perf',
  'active-data-index-jobs',
  'active-data-index-codecoverage',
];

/**
 * The ETL's world for a test: EC2 and SQS/S3 stand-ins on loopback, a SpotManager checkout with
 * its crontab in a fresh directory of the test sshd's host (this machine), the bot's targets
 * pointed at both, and a cron tick that runs whatever the crontab has enabled.
 */
export interface EtlWorld {
  aws: AwsStandIns;
  host: SpotManagerHost;
  /** The test's own SSH connection to the manager host (as cron would run things). */
  ssh: SshHost;
  /** opsbot.yaml for this world (merged by the tests that need more). */
  estate: Record<string, unknown>;
  /** Environment of the bot: AWS credentials and its SSH key. */
  env: NodeJS.ProcessEnv;
  targets: EtlTargets;
  /** What cron does every ten minutes: runs the enabled lines of the crontab on the host. */
  tick(): Promise<CommandResult>;
  fillQueue(name: string, count: number): Promise<void>;
  /** Makes this instance's setup never finish: the stand-in gives up on it after its setup timeout. */
  breakSetup(instanceId: string): Promise<void>;
  close(): Promise<void>;
}

export interface EtlWorldOptions {
  aws?: AwsStandInOptions;
  settings?: SpotManagerHostOptions['settings'];
  setupMs?: number;
  setupTimeoutMs?: number;
  git?: boolean;
  spotManager?: Partial<SpotManagerConfig>;
}

export async function startEtlWorld(o: EtlWorldOptions = {}): Promise<EtlWorld> {
  const sshd = inject('sshd');
  const aws = await startAwsStandIns({
    timing: { fulfilMs: 150, bootMs: 150, shutdownMs: 100 },
    queues: ETL_QUEUES,
    ...o.aws,
  });
  const root = mkdtempSync(join(tmpdir(), 'opsbot-spotmanager-'));
  const host = layOutSpotManagerHost({
    root,
    awsEnv: aws.hostEnv,
    setupMs: o.setupMs ?? 200,
    git: o.git ?? false,
    ...(o.settings ? { settings: o.settings } : {}),
    ...(o.setupTimeoutMs !== undefined ? { setupTimeoutMs: o.setupTimeoutMs } : {}),
  });
  const ssh = new SshHost({
    host: sshd.host,
    port: sshd.port,
    user: sshd.username,
    privateKeyPath: sshd.privateKeyPath,
    knownHostsPath: sshd.knownHostsPath,
    connectTimeoutMs: 5_000,
  });
  const estate = {
    manager: { host: sshd.host, port: sshd.port, user: sshd.username, knownHosts: sshd.knownHostsPath },
    spotManager: { ...host.config, ...o.spotManager },
    aws: aws.estateAws,
  };
  const env = { ...aws.env, SSH_PRIVATE_KEY_PATH: sshd.privateKeyPath };
  const targets = new EtlTargets(
    parseEstate({ defaultCluster: 'x', clusters: { x: { url: 'http://127.0.0.1:9' } }, ...estate }, 'test estate'),
    env,
  );
  const sqs = new SQSClient({
    region: aws.region,
    endpoint: aws.estateAws.endpoints.sqs,
    credentials: { accessKeyId: aws.env.AWS_ACCESS_KEY_ID, secretAccessKey: aws.env.AWS_SECRET_ACCESS_KEY },
  });
  return {
    aws,
    host,
    ssh,
    estate,
    env,
    targets,
    tick: () => runCronTick(ssh, host.cronFile),
    async fillQueue(name, count) {
      const url = (await sqs.send(new GetQueueUrlCommand({ QueueName: name }))).QueueUrl;
      for (let i = 0; i < count; i += 10) {
        const n = Math.min(10, count - i);
        await sqs.send(
          new SendMessageBatchCommand({
            QueueUrl: url,
            Entries: Array.from({ length: n }, (_, k) => ({
              Id: String(k),
              MessageBody: JSON.stringify({
                bucket: 'active-data-jobs',
                key: `tc.${i + k}`,
                destination: 'jobs',
                timestamp: 1452640000,
              }),
            })),
          }),
        );
      }
    },
    async breakSetup(instanceId) {
      const ec2 = new EC2Client({
        region: aws.region,
        endpoint: aws.ec2.url,
        credentials: { accessKeyId: aws.env.AWS_ACCESS_KEY_ID, secretAccessKey: aws.env.AWS_SECRET_ACCESS_KEY },
      });
      await ec2.send(
        new CreateTagsCommand({ Resources: [instanceId], Tags: [{ Key: BROKEN_SETUP_TAG, Value: 'broken' }] }),
      );
      ec2.destroy();
    },
    async close() {
      targets.close();
      sqs.destroy();
      await aws.close();
      rmSync(root, { recursive: true, force: true });
    },
  };
}
