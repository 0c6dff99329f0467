import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startDeployWorld, type DeployWorld } from './deploy-fixture.js';

describe('/etl deploy: what is refused before anything runs, and what the plan warns about', () => {
  let d: DeployWorld;
  beforeAll(async () => {
    d = await startDeployWorld();
  });
  afterAll(async () => {
    await d?.close();
  });
  const noRun = async () =>
    expect((await d.s.stack.bot.engine.listRuns()).filter((r) => r.runbook === 'etl.deploy')).toEqual([]);

  test(
    'a commit id that is not hexadecimal is a usage error; one the repository does not have is refused, naming ' +
      'the repository',
    async () => {
      await d.s.command('/etl', 'deploy HEAD~1');
      // The usage line as the fallback text carries it: escaped like the blocks since 9feca27.
      expect(await d.s.ephemeral('commit must be a commit id')).toContain('/etl deploy &lt;commit&gt;');
      await d.s.command('/etl', 'deploy deadbeef00');
      expect(await d.s.ephemeral('deadbeef00 is not a commit of the ETL repository')).toMatch(
        /ActiveData-ETL on \S+@127\.0\.0\.1, after git fetch origin\)\. Push it to origin first/,
      );
      await noRun();
    },
  );

  test(
    'the branch already there, or a commit that would drop commits from it (not a fast-forward): refused, ' +
      'nothing pushed',
    async () => {
      const etl = d.repo.head('etl')!;
      await d.s.command('/etl', `deploy ${etl.slice(0, 8)}`);
      expect(await d.s.ephemeral('is already at')).toContain(
        `origin/etl is already at ${etl.slice(0, 7)}: nothing to deploy.`,
      );
      // A hotfix pushed straight to etl, which the developer's commit does not contain.
      const hotfix = d.repo.pushCommit('hotfix on etl', { 'HOTFIX.md': 'x\n' }, 'etl');
      await d.s.command('/etl', `deploy ${d.commit}`);
      expect(await d.s.ephemeral('does not contain origin/etl')).toContain(
        `${d.commit.slice(0, 7)} does not contain origin/etl (${hotfix.slice(0, 7)}): pushing it would drop commits`,
      );
      expect(d.repo.head('etl')).toBe(hotfix);
      await noRun();
    },
  );

  test("an unreachable manager host: the plan says so, no run is made, SpotManager's cron is untouched", async () => {
    const other = await startDeployWorld({
      estate: { manager: { ...(d.w.estate.manager as Record<string, unknown>), port: 1 } },
    });
    try {
      const cron = readFileSync(other.w.host.cronFile, 'utf8');
      await other.s.command('/etl', `deploy ${other.commit}`);
      expect(await other.s.ephemeral('Cannot plan the ETL deploy')).toMatch(
        /cannot reach SpotManager's host: cannot reach 127\.0\.0\.1:1 \(ECONNREFUSED\)/,
      );
      expect(await other.s.stack.bot.engine.listRuns()).toEqual([]);
      expect(readFileSync(other.w.host.cronFile, 'utf8')).toBe(cron);
    } finally {
      await other.close();
    }
  });
});
