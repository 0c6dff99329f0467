import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { ReceiveMessageCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterEach, describe, expect, test } from 'vitest';
import { startAwsStandIns, type AwsStandIns } from '../../src/sim/aws/index.js';
import { Buckets } from '../../src/targets/s3/index.js';
import { Queues } from '../../src/targets/sqs/index.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

describe('SQS and S3 adapters against fauxqs (in-process, loopback)', () => {
  let aws: AwsStandIns;
  afterEach(async () => {
    await aws?.close();
  });

  test(
    'queue depth counts visible and in-flight messages; a missing ' + 'queue says so; ensureQueue creates once',
    async () => {
      aws = await startAwsStandIns({ queues: ['active-data-etl'] });
      const queues = new Queues(aws.estateAws, aws.env);
      const sqs = new SQSClient({
        region: aws.region,
        endpoint: aws.estateAws.endpoints.sqs,
        credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
      });
      const url = (await queues.url('active-data-etl'))!;
      for (let i = 0; i < 5; i++)
        await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: `{"key":"${i}"}` }));
      await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 2, VisibilityTimeout: 300 }));
      expect(await queues.queueDepths(['active-data-etl', 'active-data-index-dev'])).toEqual([
        { name: 'active-data-etl', exists: true, visible: 3, inFlight: 2, delayed: 0 },
        { name: 'active-data-index-dev', exists: false, visible: 0, inFlight: 0, delayed: 0 },
      ]);
      expect(await queues.ensureQueue('active-data-index-dev')).toMatchObject({
        name: 'active-data-index-dev',
        created: true,
      });
      expect(await queues.ensureQueue('active-data-index-dev')).toMatchObject({ created: false });
      expect(await queues.ensureQueue('active-data-etl')).toMatchObject({ created: false });
      expect((await queues.queueDepth('active-data-index-dev')).exists).toBe(true);
      sqs.destroy();
      queues.close();
    },
  );

  test(
    'ensureBucket leaves an existing bucket alone; countRecent ' + 'counts objects under a prefix since a time',
    async () => {
      aws = await startAwsStandIns({ buckets: ['active-data-jobs'] });
      const buckets = new Buckets(aws.estateAws, aws.env);
      expect(await buckets.ensureBucket('active-data-jobs')).toEqual({ bucket: 'active-data-jobs', created: false });
      expect(await buckets.exists('active-data-perf-dev')).toBe(false);
      expect(await buckets.ensureBucket('active-data-perf-dev')).toEqual({
        bucket: 'active-data-perf-dev',
        created: true,
      });
      expect(await buckets.exists('active-data-perf-dev')).toBe(true);

      const s3 = new S3Client({
        region: aws.region,
        endpoint: aws.estateAws.endpoints.s3,
        forcePathStyle: true,
        credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
      });
      const since = Date.now() - 1_000;
      for (const key of ['tc.1/a.json', 'tc.1/b.json', 'tc.2/c.json'])
        await s3.send(new PutObjectCommand({ Bucket: 'active-data-jobs', Key: key, Body: '{}' }));
      expect(await buckets.countRecent('active-data-jobs', 'tc.1/', since)).toMatchObject({
        count: 2,
        scanned: 2,
        truncated: false,
      });
      expect(await buckets.countRecent('active-data-jobs', '', Date.now() + 60_000)).toMatchObject({
        count: 0,
        scanned: 3,
      });
      s3.destroy();
      buckets.close();
    },
  );
});
