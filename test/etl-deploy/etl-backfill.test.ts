import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { DeleteMessageCommand, GetQueueUrlCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterEach, describe, expect, test } from 'vitest';
import { startEtlWorld, type EtlWorld } from '../etl/etl-fixture.js';
import { alice, bob, startEtlStack, type EtlStack } from '../etl/etl-stack.js';
import { eventually } from '../support/wait.js';

describe('/etl backfill: the keys the destination lacks go onto the work queue, which then drains', () => {
  let w: EtlWorld;
  let s: EtlStack;
  let sqs: SQSClient;
  afterEach(async () => {
    sqs?.destroy();
    await s?.close();
    await w?.close();
  });

  async function start() {
    w = await startEtlWorld({ aws: { buckets: ['ekyle-pulse-logger', 'ekyle-test-result'] } });
    s = await startEtlStack(w, { estate: { etl: { backfill: { pollMs: 100 } } } });
    const creds = { accessKeyId: w.aws.env.AWS_ACCESS_KEY_ID, secretAccessKey: w.aws.env.AWS_SECRET_ACCESS_KEY };
    sqs = new SQSClient({ region: w.aws.region, endpoint: w.aws.estateAws.endpoints.sqs, credentials: creds });
    const s3 = new S3Client({
      region: w.aws.region,
      endpoint: w.aws.estateAws.endpoints.s3,
      forcePathStyle: true,
      credentials: creds,
    });
    // Five pulse blocks; the ETL made test results of two of them (keys with more parts).
    for (const k of ['tc.1', 'tc.2', 'tc.3', 'tc.4', 'tc.5'])
      await s3.send(new PutObjectCommand({ Bucket: 'ekyle-pulse-logger', Key: k, Body: '{}' }));
    for (const k of ['tc.1:1001.1', 'tc.3:1003.1'])
      await s3.send(new PutObjectCommand({ Bucket: 'ekyle-test-result', Key: k, Body: '{}' }));
    s3.destroy();
  }

  /** What the ETL's workers do: take messages off the work queue and finish them. */
  async function drain(): Promise<unknown[]> {
    const url = (await sqs.send(new GetQueueUrlCommand({ QueueName: 'active-data-etl' }))).QueueUrl;
    const out = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10 }));
    for (const m of out.Messages ?? [])
      await sqs.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: m.ReceiptHandle }));
    return (out.Messages ?? []).map((m): unknown => JSON.parse(m.Body ?? '{}'));
  }

  test(
    'refused while the work queue holds more than 100 messages, as the real backfill is: nothing is queued, no ' +
      'run is made',
    async () => {
      await start();
      await w.fillQueue('active-data-etl', 101);
      await s.command('/etl', 'backfill');
      expect(await s.ephemeral('already holds 101 messages')).toContain(
        'more than 100: the backfill refuses, as the real one does',
      );
      expect(await s.stack.bot.engine.listRuns()).toEqual([]);
      expect((await w.targets.queues.queueDepth('active-data-etl')).visible).toBe(101);
    },
  );

  test(
    'approved by a second person: three keys queued; the card follows ' + 'the queue draining to what it held before',
    async () => {
      await start();
      await w.fillQueue('active-data-etl', 2); // the ETL's own work, before the backfill
      await s.command('/etl', 'backfill');
      const card = await s.cardWithButton('run_approve');
      expect(s.text(card)).toContain('Backfill 3 key(s) of ekyle-pulse-logger onto active-data-etl');
      expect(s.text(card)).toContain('`tc.2`, `tc.4`, `tc.5`');
      await s.click('run_approve', alice, card);
      await s.ephemeral('a second person must approve');
      await s.click('run_approve', bob, card);
      await eventually(
        async () => (await w.targets.queues.queueDepth('active-data-etl')).visible === 5,
        'the keys on the queue',
      );
      const depth = await eventually(() => {
        const text = s.text(s.stack.slack.messages('C0OPS')[0]!);
        return (
          text.includes('Wait while the work queue drains*') &&
          /active-data-etl: 5 message\(s\) \(2 before the backfill\)/.test(text) &&
          text
        );
      }, 'the drain progress on the card');
      expect(depth).toContain('ETA');

      const taken: unknown[] = [];
      await eventually(async () => {
        taken.push(...(await drain()));
        return taken.length >= 5;
      }, 'the ETL to take every message');
      await eventually(
        async () => (await s.stack.bot.engine.listRuns())[0]?.status === 'succeeded',
        'the backfill to finish',
      );
      const backfilled = (taken as { bucket: string; key: string; timestamp: number }[]).filter(
        (m) => m.bucket === 'ekyle-pulse-logger',
      );
      expect(backfilled.map((m) => m.key).sort()).toEqual(['tc.2', 'tc.4', 'tc.5']);
      expect(backfilled.every((m) => Number.isInteger(m.timestamp))).toBe(true);
      const thread = await eventually(() => {
        const t = s.threadTexts(card.ts).join('\n');
        return t.includes(':tada:') ? t : undefined;
      }, 'the final reply');
      expect(thread).toContain(
        ':white_check_mark: *Run the backfill* — 3 key(s) of ekyle-pulse-logger missing from ekyle-test-result ' +
          'queued on active-data-etl',
      );
      expect(thread).toMatch(/:tada: active-data-etl drained: [0-2] message\(s\) left \(2 before the backfill\)/);
    },
  );
});
