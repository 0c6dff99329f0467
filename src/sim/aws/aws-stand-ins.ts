import { startFauxqs, type FauxqsServer } from 'fauxqs';
import { freePort } from '../services/free-port.js';
import { startEc2Simulator, type Ec2Simulator } from './ec2-server.js';
import type { Ec2SimTiming } from './ec2-types.js';
import { installS3KeyOrder } from './s3-key-order.js';

/** Spot prices of the ETL's usual instance types in the runbook's zone (2016-ish, $/hour). */
export const DEFAULT_SPOT_PRICES: Record<string, number> = {
  'c4.large/us-west-2c': 0.021,
  'c4.xlarge/us-west-2c': 0.048,
  'c4.2xlarge/us-west-2c': 0.097,
  'm3.large/us-west-2c': 0.029,
  'r3.xlarge/us-west-2c': 0.052,
};

export interface AwsStandIns {
  ec2: Ec2Simulator;
  /** SQS and S3 (fauxqs, in-process). */
  fauxqs: FauxqsServer;
  region: string;
  /** The `aws` section of opsbot.yaml that points the bot at these stand-ins. */
  estateAws: {
    region: string;
    endpoints: { ec2: string; sqs: string; s3: string };
    s3ForcePathStyle: true;
    requestTimeoutMs: number;
  };
  /** AWS_* variables holding the one access key the EC2 stand-in accepts. */
  env: { AWS_ACCESS_KEY_ID: string; AWS_SECRET_ACCESS_KEY: string; AWS_REGION: string };
  /** `env` plus the endpoint variables a program on the test host (the SpotManager stand-in) uses. */
  hostEnv: Record<string, string>;
  close(): Promise<void>;
}

export interface AwsStandInOptions {
  region?: string;
  prices?: Record<string, number>;
  timing?: Partial<Ec2SimTiming>;
  /** Queues and buckets that exist from the start. */
  queues?: string[];
  buckets?: string[];
}

/**
 * EC2 (our Query API simulator) and SQS + S3 (fauxqs 1.9, in-process) on loopback. fauxqs listens
 * on every interface whatever we ask, so it gets an explicit free port and we talk to it via
 * 127.0.0.1 only. fauxqs accepts any credentials; the EC2 stand-in checks them.
 */
export async function startAwsStandIns(opts: AwsStandInOptions = {}): Promise<AwsStandIns> {
  const region = opts.region ?? 'us-west-2';
  const credentials = {
    accessKeyId: 'AKIASIMULATED0000001',
    secretAccessKey: 'simulated/secret/key/for/the/stand-ins',
  };
  const ec2 = await startEc2Simulator({
    credentials: [credentials],
    prices: opts.prices ?? DEFAULT_SPOT_PRICES,
    ...(opts.timing ? { timing: opts.timing } : {}),
  });
  await installS3KeyOrder(); // S3's listing order, which fauxqs lacks
  const fauxqs = await startFauxqs({ port: await freePort(), logger: false, defaultRegion: region, host: '127.0.0.1' });
  for (const q of opts.queues ?? []) fauxqs.createQueue(q);
  for (const b of opts.buckets ?? []) fauxqs.createBucket(b);
  const local = `http://127.0.0.1:${fauxqs.port}`;
  return {
    ec2,
    fauxqs,
    region,
    estateAws: {
      region,
      endpoints: { ec2: ec2.url, sqs: local, s3: local },
      s3ForcePathStyle: true,
      requestTimeoutMs: 5_000,
    },
    env: {
      AWS_ACCESS_KEY_ID: credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
      AWS_REGION: region,
    },
    hostEnv: {
      AWS_ACCESS_KEY_ID: credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
      AWS_REGION: region,
      AWS_ENDPOINT_URL_EC2: ec2.url,
      AWS_ENDPOINT_URL_SQS: local,
    },
    async close() {
      await Promise.all([ec2.close(), fauxqs.stop()]);
    },
  };
}
