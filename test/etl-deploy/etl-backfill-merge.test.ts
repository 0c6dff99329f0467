import { GetQueueUrlCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterEach, describe, expect, test } from 'vitest';
import { parseEstate } from '../../src/config/load-estate.js';
import type { StepContext } from '../../src/engine/index.js';
import { queueMissingKeys } from '../../src/runbooks/etl-backfill/queue-missing-keys.js';
import type { BackfillParams } from '../../src/runbooks/index.js';
import { denyListing, putKeysDirectly, startAwsStandIns, type AwsStandIns } from '../../src/sim/aws/index.js';
import { BackfillMerge, EtlTargets, sampleMissing, startCursor } from '../../src/targets/etl/index.js';
import { fractionThrough, keyRange } from '../../src/targets/s3/index.js';
import { eventually } from '../support/wait.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

const SRC = 'ekyle-pulse-logger';
const DST = 'ekyle-test-result';
const QUEUE = 'active-data-etl';

/** The old answer, in memory: a source key is done when a destination key is it or starts with it and `.` or `:`. */
function oracle(source: string[], destination: string[]): string[] {
  const done = new Set<string>();
  for (const d of destination) {
    for (let i = 0; i < d.length; i++) if (d[i] === '.' || d[i] === ':') done.add(d.slice(0, i));
    done.add(d);
  }
  return source.filter((k) => !done.has(k)).sort();
}

describe('the backfill comparison: two S3 listings merged in key order, small pages', () => {
  let aws: AwsStandIns;
  let etl: EtlTargets;
  afterEach(async () => {
    etl?.close();
    await aws?.close();
  });

  async function world(source: string[], destination: string[], over: Record<string, unknown> = {}) {
    aws = await startAwsStandIns({ queues: [QUEUE] });
    putKeysDirectly((b) => aws.fauxqs.createBucket(b), SRC, source);
    putKeysDirectly((b) => aws.fauxqs.createBucket(b), DST, destination);
    etl = new EtlTargets(
      parseEstate(
        {
          defaultCluster: 'x',
          clusters: { x: { url: 'http://127.0.0.1:9' } },
          aws: aws.estateAws,
          etl: { backfill: { listPageSize: 3, ...over } },
        },
        'test estate',
      ),
      aws.env,
    );
  }

  async function all(merge: BackfillMerge): Promise<string[]> {
    const out: string[] = [];
    for (let k = await merge.next(); k !== undefined; k = await merge.next()) out.push(k);
    await merge.close();
    return out;
  }

  // tc.1's outputs (tc.1:…) sort after tc.10 … tc.19 in S3's byte order: a naive two-cursor merge gets it wrong.
  const source = ['tc.1', 'tc.2', 'tc.3', 'tc.5', 'tc.8', 'tc.10', 'tc.11', 'tc.12', 'tc.19', 'tc.100', 'tc.21'];
  const destination = ['tc.1:1001.1', 'tc.1:1001.2', 'tc.10.3', 'tc.12:12.1', 'tc.19', 'tc.3:5.1', 'tc.7:1.1'];

  test('interleaved missing keys across page boundaries, destination with extra keys: the answer of old', async () => {
    await world(source, [...destination, 'tc.99:1.1', 'zz.1']);
    const merge = new BackfillMerge(etl.buckets, SRC, DST, startCursor(), { pageSize: 2 });
    const missing = await all(merge);
    expect(missing.slice().sort()).toEqual(oracle(source, destination));
    expect(missing.sort()).toEqual(['tc.100', 'tc.11', 'tc.2', 'tc.21', 'tc.5', 'tc.8']);
    const c = merge.cursor();
    expect([c.listed, c.destinationListed, c.missing, c.finished, c.open]).toEqual([11, 9, 6, true, []]);
  });

  test('an empty destination: every source key is missing; an empty source: nothing', async () => {
    await world(source, []);
    expect((await all(new BackfillMerge(etl.buckets, SRC, DST, startCursor(), { pageSize: 4 }))).sort()).toEqual(
      source.slice().sort(),
    );
    expect(await all(new BackfillMerge(etl.buckets, DST, SRC, startCursor(), { pageSize: 4 }))).toEqual([]);
  });

  test('resumed from a saved cursor after every key: together exactly the missing keys, none twice', async () => {
    const many = Array.from({ length: 120 }, (_, i) => `tc.${1000 + i * 7}`);
    const done = many.filter((_, i) => i % 3 !== 0).map((k, i) => `${k}:${i}.1`);
    await world(many, done);
    const got: string[] = [];
    let cursor = startCursor();
    for (;;) {
      // A new merge (as after a restart) from the cursor saved after the last key handed out.
      const merge = new BackfillMerge(etl.buckets, SRC, DST, cursor, { pageSize: 3 });
      const key = await merge.next();
      cursor = merge.cursor();
      await merge.close();
      if (key === undefined) break;
      got.push(key);
    }
    expect(got).toEqual(oracle(many, done));
    expect(new Set(got).size).toBe(got.length);
  });

  test('a bucket that does not exist, or that the bot may not list, is named with what to check', async () => {
    await world(source, destination);
    const plan = (src: string) => sampleMissing(etl.buckets, src, DST, { budgetMs: 1_000, settings: SETTINGS });
    await expect(plan('no-such-bucket')).rejects.toMatchObject({
      message: expect.stringContaining(
        'S3 bucket no-such-bucket (etl.backfill.source in opsbot.yaml) does not exist at',
      ) as string,
      next: expect.stringContaining('Check the bucket') as string,
    });
    denyListing(SRC);
    try {
      await expect(plan(SRC)).rejects.toMatchObject({
        message: `S3 bucket ${SRC} (etl.backfill.source in opsbot.yaml): the bot may not list it (AccessDenied).`,
        next: expect.stringContaining(`s3:ListBucket on arn:aws:s3:::${SRC}`) as string,
      });
    } finally {
      denyListing(SRC, false);
    }
  });

  test('the key range of a bucket, for the ETA: first and last key, and how far a key is through it', async () => {
    const keys = Array.from({ length: 500 }, (_, i) => `tc.${1_000_000 + i * 2000}`);
    await world(keys, []);
    const range = (await keyRange(etl.buckets, SRC))!;
    expect(range).toEqual({ first: 'tc.1000000', last: 'tc.1998000' });
    expect(fractionThrough(range, 'tc.1499000')).toBeCloseTo(0.5, 2);
    expect(await keyRange(etl.buckets, DST)).toBeUndefined();
  });

  describe('Run the backfill, called as the engine calls it: the state saved at each checkpoint and at the end', () => {
    const params: BackfillParams = {
      source: SRC,
      destination: DST,
      queue: QUEUE,
      missing: 0,
      truncated: true,
      sample: [],
      depthAtPlan: 0,
      maxQueued: 100,
    };
    const many = Array.from({ length: 90 }, (_, i) => `tc.${2000 + i}`);
    const done = many.filter((_, i) => i % 3 === 0).map((k) => `${k}:7.1`);

    /** One worker's calls of the step; `kill`: its nth SendMessageBatch never returns (after reaching SQS, or not). */
    function worker(saved: { state: Record<string, unknown> }, notes: string[], progress: string[], kill?: KillAt) {
      const step = queueMissingKeys(etl);
      let sends = 0;
      const dead = new Promise<never>(() => undefined);
      etl.queues.client.middlewareStack.remove('kill');
      if (kill)
        etl.queues.client.middlewareStack.add(
          (next) => async (args) => {
            const isSend = (args.input as { Entries?: unknown }).Entries !== undefined;
            if (!isSend || ++sends !== kill.send) return next(args);
            if (kill.after) await next(args);
            return dead;
          },
          { step: 'initialize', name: 'kill' },
        );
      return async () => {
        const ctx = {
          params,
          state: structuredClone(saved.state),
          now: () => Date.now(),
          signal: new AbortController().signal,
          checkpoint: () => {
            saved.state = structuredClone(ctx.state);
            return Promise.resolve();
          },
          note: (t: string) => {
            notes.push(t);
            return Promise.resolve();
          },
          progress: (p: { text?: string }) => {
            progress.push(p.text ?? '');
            return Promise.resolve();
          },
        } as unknown as StepContext<BackfillParams>;
        const out = await Promise.race([step.run(ctx as never), dead]);
        saved.state = structuredClone(ctx.state);
        return out;
      };
    }

    async function received(): Promise<string[]> {
      const sqs = new SQSClient({ region: aws.region, endpoint: aws.estateAws.endpoints.sqs, credentials: creds() });
      const url = (await sqs.send(new GetQueueUrlCommand({ QueueName: QUEUE }))).QueueUrl;
      const keys: string[] = [];
      for (;;) {
        const out = await sqs.send(
          new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, VisibilityTimeout: 300 }),
        );
        if (!out.Messages?.length) break;
        for (const m of out.Messages) keys.push((JSON.parse(m.Body!) as { key: string }).key);
      }
      sqs.destroy();
      return keys.sort();
    }
    const creds = () => ({ accessKeyId: aws.env.AWS_ACCESS_KEY_ID, secretAccessKey: aws.env.AWS_SECRET_ACCESS_KEY });

    async function runToEnd(call: () => Promise<unknown>) {
      for (let i = 0; i < 200; i++) {
        const out = (await call()) as { status: string; summary?: string };
        if (out.status !== 'wait') return out;
      }
      throw new Error('the step did not finish in 200 calls');
    }

    test('no crash: every missing key once; the progress says listed, missing and queued', async () => {
      await world(many, done);
      const saved = { state: {} };
      const progress: string[] = [];
      const out = await runToEnd(worker(saved, [], progress));
      expect(await received()).toEqual(oracle(many, done));
      expect(out).toMatchObject({
        status: 'done',
        summary: `60 key(s) of ${SRC} missing from ${DST} queued on ${QUEUE} (listed 90, 60 missing)`,
      });
      expect(progress.at(-1)).toBe('listed 90 of the source, 60 missing, 60 queued');
    });

    test.each([
      ['killed between batches (the third batch reached SQS, its answer never came back)', { send: 3, after: true }],
      ['killed while sending (the third batch never reached SQS)', { send: 3, after: false }],
    ])('%s: a new worker resumes from the cursor; no key is sent twice', async (_, kill) => {
      await world(many, done);
      const saved = { state: {} as Record<string, unknown> };
      const notes: string[] = [];
      const first = worker(saved, notes, [], kill);
      void first().catch(() => undefined); // the killed worker's last call: it never ends
      await eventually(
        () => saved.state.sending !== undefined && saved.state.queued === 20,
        'the third batch to be on its way',
      );
      expect(saved.state).toMatchObject({ queued: 20, sending: { count: 10 } });
      const out = await runToEnd(worker(saved, notes, []));
      const got = await received();
      expect(new Set(got).size).toBe(got.length);
      const third = oracle(many, done).filter((k) => !got.includes(k));
      expect(third).toHaveLength(kill.after ? 0 : 10);
      expect(got).toHaveLength(kill.after ? 60 : 50);
      expect(notes.join('\n')).toContain('Sending 10 key(s) (`');
      expect(notes.join('\n')).toContain('they are not sent again, so no key is queued twice');
      expect(out.status).toBe('done');
      expect(out.summary).toContain('10 interrupted, not sent again');
    });
  });
});

/** Where the SQS client of the killed worker stops answering. */
interface KillAt {
  send: number;
  after: boolean;
}

const SETTINGS = { source: 'etl.backfill.source', destination: 'etl.backfill.destination' };
