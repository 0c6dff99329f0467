import { Client } from '@elastic/elasticsearch';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { Run } from '../../src/engine/index.js';
import type { LocalStackOptions } from '../../src/main/local-stack.js';
import {
  BASE_WORKERS,
  ETL_SETTINGS_FILE,
  PERF_WORKERS,
  etlSettingsFileText,
  layOutEtlRepo,
  type EtlRepoHost,
} from '../../src/sim/etl/index.js';
import type { StoredMessage } from '../../src/sim/slack/types.js';
import { startEtlWorld, type EtlWorld, type EtlWorldOptions } from '../etl/etl-fixture.js';
import { alice, bob, startEtlStack, type EtlStack } from '../etl/etl-stack.js';
import { eventually } from '../support/wait.js';

export { alice, bob };

/** opsbot.yaml's etl.deploy for tests: every wait a tenth of a second, the quiet windows short. */
export const FAST_DEPLOY = {
  pollMs: 100,
  stopQuietMs: 200,
  terminateTimeoutMs: 20_000,
  quietMs: 300,
  watchTimeoutMs: 120_000,
  devRunWindowMs: 3_600_000,
};

/**
 * The ETL deploy's world: the ETL world of issue 6 (EC2 and SQS/S3 stand-ins, SpotManager's
 * checkout on the test sshd's host, as a git clone of its own origin) plus the ETL repository
 * (origin with its `etl` branch, the manager's checkout), a new commit on master that adds a
 * pipeline (a bucket, a queue and an ES table), two ETL instances running, and the bot.
 */
export interface DeployWorld {
  w: EtlWorld;
  s: EtlStack;
  repo: EtlRepoHost;
  /** The developer's commit that adds the perf pipeline. */
  commit: string;
  es: Client;
  /**
   * What the development run does: the new table with its alias, an object in the new bucket, a
   * message on the new queue.
   */
  developmentRun(): Promise<void>;
  putObject(bucket: string, key: string): Promise<void>;
  /** The deploy's run (the newest etl.deploy). */
  run(): Promise<Run>;
  /** Waits for the card to ask approval of `title`, and approves it as bob. */
  approve(title: string): Promise<StoredMessage>;
  /** Waits until the card asks for approval of `title`. */
  awaiting(title: string): Promise<StoredMessage>;
  thread(): Promise<string[]>;
  /**
   * `/etl deploy` of the new commit by alice, through steps 1 to 7 (bob approves, alice confirms):
   * the run then watches.
   */
  deployToWatch(): Promise<void>;
  /** SpotManager's cron runs until `until()` holds, a few ticks at most (each is a real run of the stand-in). */
  tickUntil(until: () => Promise<boolean>, what: string, max?: number): Promise<void>;
  close(): Promise<void>;
}

export async function startDeployWorld(
  o: EtlWorldOptions & { estate?: Record<string, unknown>; stack?: Partial<LocalStackOptions> } = {},
): Promise<DeployWorld> {
  const w = await startEtlWorld({
    git: true,
    ...o,
    aws: { buckets: ['ekyle-pulse-logger', 'ekyle-test-result'], ...o.aws },
  });
  const repo = layOutEtlRepo(w.host.root);
  const commit = repo.pushCommit('New pipeline: perfherder results to the perf table', {
    [ETL_SETTINGS_FILE]: etlSettingsFileText({ workers: [...BASE_WORKERS, ...PERF_WORKERS] }),
  });
  // The fleet SpotManager runs now, with the old code: set up and named as SpotManager names it.
  for (let i = 0; i < 2; i++)
    w.aws.ec2.sim.launch('c4.xlarge', 'us-west-2c', 'ami-etl', undefined, undefined, [
      { key: 'Name', value: 'ActiveData ETL spot instance (running)' },
    ]);
  const s = await startEtlStack(w, {
    estate: { etl: { repo: repo.config, deploy: FAST_DEPLOY, backfill: { pollMs: 100 } }, ...o.estate },
    ...(o.stack ? { stack: o.stack } : {}),
  });
  const es = new Client({ node: s.stack.es.url });
  const s3 = new S3Client({
    region: w.aws.region,
    endpoint: w.aws.estateAws.endpoints.s3,
    forcePathStyle: true,
    credentials: { accessKeyId: w.aws.env.AWS_ACCESS_KEY_ID, secretAccessKey: w.aws.env.AWS_SECRET_ACCESS_KEY },
  });
  const run = async () => {
    const runs = await s.stack.bot.engine.listRuns({ limit: 50 });
    const r = runs.find((x) => x.runbook === 'etl.deploy');
    if (!r) throw new Error('no etl.deploy run');
    return r;
  };
  const awaiting = (title: string) =>
    eventually(
      async () => {
        const r = await run();
        const step = r.steps.find((x) => x.id === r.pendingApproval?.step);
        if (r.status !== 'awaiting_approval' || step?.title !== title) return undefined;
        return s.cardWithButton('run_approve');
      },
      `the card to ask approval of "${title}"`,
      20_000,
    ).catch(async (err: Error) => {
      const r = await run().catch(() => undefined);
      const where = r
        ? `${r.status} at ${r.cursor}: ${r.error ?? ''} ${JSON.stringify(r.steps.find((x) => x.id === r.cursor))}`
        : `none (alice saw: ${s.view.ephemeralTexts(alice.user_id).join(' | ') || 'nothing'})`;
      throw new Error(`${err.message}; the run: ${where}`);
    });
  const approve = async (title: string) => {
    const card = await awaiting(title);
    await s.click('run_approve', bob, card);
    return card;
  };
  const developmentRun = async () => {
    await es.indices.create({ index: 'perf20160115_120000', aliases: { perf: {} } });
    await s3.send(new PutObjectCommand({ Bucket: 'active-data-perfherder', Key: 'tc.1:1.1', Body: '{"result":{}}' }));
    await w.fillQueue('active-data-index-perfherder', 1);
  };
  return {
    w,
    s,
    repo,
    commit,
    es,
    run,
    awaiting,
    approve,
    developmentRun,
    async putObject(bucket, key) {
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: '{}' }));
    },
    async deployToWatch() {
      await s.command('/etl', `deploy ${commit}`);
      await approve('Stop SpotManager');
      await approve('Terminate all ETL instances');
      await eventually(async () => (await run()).status === 'paused', 'the development-run pause', 20_000);
      await developmentRun();
      await s.click('run_resume', alice, await s.cardWithButton('run_resume'));
      await approve('Push code to `etl` branch');
      await eventually(async () => (await run()).cursor === 'confirm-nothing-blows-up', 'the watch to begin', 20_000);
    },
    async thread() {
      const r = await run();
      return r.message ? s.threadTexts(r.message.ts) : [];
    },
    async tickUntil(until, what, max = 4) {
      for (let i = 0; i < max; i++) {
        await w.tick();
        if (
          await eventually(until, what, 1_500).then(
            () => true,
            () => false,
          )
        )
          return;
      }
      throw new Error(`${what}: not after ${max} SpotManager runs`);
    },
    async close() {
      s3.destroy();
      await es.close();
      await s.close();
      await w.close();
    },
  };
}
