import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { eventually } from '../support/wait.js';
import { ETL_QUEUES } from '../etl/etl-fixture.js';
import { alice, bob, startDeployWorld, type DeployWorld } from './deploy-fixture.js';

const PREFIX = `etldry${process.pid}-${Date.now()}`;

/**
 * Issue 19.1 for the ETL and SpotManager: `--dry-run` on /etl deploy, backfill and budget and on
 * /spot start shows the plan to the requester alone and touches nothing: no run, no lock, no card,
 * the checkout and the etl branch where they were, the crontab and the budget as they were, no
 * message added to a queue.
 */
describe('--dry-run on /etl deploy, backfill, budget and /spot start', () => {
  let d: DeployWorld;
  let redis: Redis;
  /** Everything these commands would change, read the way a person checking by hand would. */
  const estate = async () => ({
    checkout: execFileSync('git', ['rev-parse', 'HEAD'], { cwd: d.repo.checkout, encoding: 'utf8' }).trim(),
    etlBranch: d.repo.head('etl'),
    crontab: readFileSync(d.w.host.cronFile, 'utf8'),
    settings: readFileSync(d.w.host.settingsPath, 'utf8'),
    queues: (await d.w.targets.queues.queueDepths(ETL_QUEUES)).map((q) => [q.name, q.visible, q.inFlight]),
  });
  let before: Awaited<ReturnType<typeof estate>>;

  beforeAll(async () => {
    d = await startDeployWorld({ stack: { prefix: PREFIX } });
    redis = new Redis(inject('redisUrl'));
    // SpotManager stopped, so that /spot start has something to plan.
    await d.w.targets.spotManager().disable();
    // A pulse-log key the results bucket lacks, so that /etl backfill has one to send.
    await d.putObject('ekyle-pulse-logger', 'tc.1:12345.0');
    before = await estate();
  }, 60_000);
  afterAll(async () => {
    redis?.disconnect();
    await d?.close();
  });

  /** What each command is sent as, and a line of its plan; the deploy's commit is known once the world is up. */
  const CASES: Record<string, () => [slash: '/etl' | '/spot', text: string, title: string, shows: RegExp]> = {
    'etl deploy': () => [
      '/etl',
      `deploy ${d.commit} --dry-run`,
      'Dry run: /etl deploy',
      new RegExp(`After the push.+${d.commit.slice(0, 7)}`),
    ],
    'etl backfill': () => ['/etl', 'backfill --dry-run', 'Dry run: /etl backfill', /1 missing.+`tc\.1:12345\.0`/],
    'etl budget': () => ['/etl', 'budget 2.5 --dry-run', 'Dry run: /etl budget', /\$1\.00\/hour → \*\$2\.50\/hour\*/],
    'spot start': () => ['/spot', 'start --dry-run', 'Dry run: /spot start', /\*Restores\* in .+crontab.+run_etl\.sh/],
  };

  test.each(Object.keys(CASES))(
    '/%s --dry-run: the plan to the requester alone; nothing run, locked or changed',
    async (name) => {
      const [slash, text, title, shows] = CASES[name]!();
      const seen = d.s.view.ephemerals(alice.user_id).length;
      await d.s.command(slash, text, alice);
      const reply = await eventually(
        () => d.s.view.ephemerals(alice.user_id).slice(seen)[0],
        `the answer to ${slash} ${text}`,
        20_000,
      );
      const shown = `${reply.text}\n${JSON.stringify(reply.blocks ?? [])}`;
      expect(shown, `${slash} ${text}`).toContain(title);
      expect(shown).toMatch(shows);
      expect(shown).toContain('nothing was changed');
      expect(shown).not.toMatch(/run_approve|run_deny/);
      expect(d.s.view.messages()).toEqual([]);
      expect(d.s.view.ephemerals(bob.user_id)).toEqual([]);
      expect(await d.s.stack.bot.engine.listRuns()).toEqual([]);
      expect(await redis.keys(`${PREFIX}:lock:*`)).toEqual([]);
      expect(await estate()).toEqual(before);
    },
  );

  test('without --dry-run the same budget creates a run and takes the lock (the checks above can fail)', async () => {
    await d.s.command('/etl', 'budget 2.5', alice);
    await d.s.cardWithButton('run_approve');
    expect(await d.s.stack.bot.engine.listRuns()).toHaveLength(1);
    expect(await redis.keys(`${PREFIX}:lock:*`)).not.toEqual([]);
  });
});
