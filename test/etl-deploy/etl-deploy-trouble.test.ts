import { appendFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { logTime } from '../../src/sim/spotmanager/spot-log.js';
import { eventually } from '../support/wait.js';
import { startDeployWorld, type DeployWorld } from './deploy-fixture.js';

/**
 * Step 8 against SpotManager's trouble lines (FACTS: `Can not fund` is in etl-deploy-watch.test.ts;
 * here `Request instance ... failed because`, `Time is up`), its log read by position, and the
 * expected time from its past come-ups. One deploy, watched throughout: the tests run in order.
 */
describe('/etl deploy, step 8: trouble lines with their advice, the log by position, the expected time', () => {
  let d: DeployWorld;
  const minute = 60_000;
  const advice = (what: string) =>
    eventually(async () => (await d.thread()).find((t) => t.includes(what)), `"${what}" in the thread`, 5_000);
  const card = () => JSON.stringify(d.s.stack.slack.messages('C0OPS')[0]!.blocks);

  beforeAll(async () => {
    d = await startDeployWorld({ setupTimeoutMs: 300 });
    // SpotManager's log before the deploy: it came up once, in 20 minutes (need 3 → 1 → all set up).
    const t0 = Date.now() - 90 * minute;
    const run = (m: number, need: number, last: string) =>
      [
        `${logTime(t0 + m * minute)} - Get pricing from AWS`,
        `${logTime(t0 + m * minute)} - have ${3 - need} utility running; need ${need} more utility`,
        `${logTime(t0 + m * minute)} - ${last}`,
      ].join('\n');
    mkdirSync(dirname(d.w.host.logPath), { recursive: true });
    writeFileSync(
      d.w.host.logPath,
      `${[
        run(0, 3, "waiting for spot requests: ['sir-0a']"),
        run(10, 1, "waiting for spot requests: ['sir-0b']"),
        run(20, 0, 'No more pending spot requests'),
        run(30, 0, 'No more pending spot requests'),
      ].join('\n')}\n`,
    );
    await d.deployToWatch();
    await d.w.fillQueue('active-data-etl', 30);
  }, 60_000);
  afterAll(async () => {
    await d?.close();
  });

  test('EC2 refuses the spot request: the failure is in the thread, with what to do about the limit', async () => {
    d.w.aws.ec2.sim.refuseRequests.set('c4.xlarge', {
      code: 'MaxSpotInstanceCountExceeded',
      message: 'Max spot instance count exceeded',
    });
    await d.w.tick();
    expect(await advice('failed because')).toContain(
      ':warning: SpotManager says `WARNING: Request instance c4.xlarge failed because Max spot instance count ' +
        'exceeded`: EC2 refused a spot request. The account is at its spot instance limit: ask AWS for more, ' +
        'or lower max_requests_per_type.',
    );
    d.w.aws.ec2.sim.refuseRequests.clear();
  });

  test('the card expects SpotManager up in the time its past come-up took (20 min), less what has run', async () => {
    await eventually(
      () => /\*Expected\*\\nabout 19m \d\ds more: its past come-ups took 20m 00s \(median of 1\)/.test(card()),
      'the expected time on the card',
    );
  });

  test('an instance whose setup never finishes: "Time is up" is in the thread, with what to do', async () => {
    const { w } = d;
    await w.tick(); // the request the refusal prevented
    const id = await eventually(async () => {
      const f = await w.targets.fleet.listEtlInstances();
      return f.members.find((m) => m.instanceId && m.phase === 'running')?.instanceId;
    }, 'a running instance');
    await w.breakSetup(id);
    await new Promise((r) => setTimeout(r, 400)); // the stand-in's setup timeout is 300 ms
    await w.tick();
    expect(await advice('Time is up')).toContain(
      `:warning: SpotManager says \`WARNING: Problem with setup of ${id}.  Time is up.  Instance TERMINATED!\`: ` +
        'an instance did not finish its setup in time and was terminated. If it happens again the new ETL code ' +
        'may not start: look at `/spot log`, and cancel this run to move the branch back.',
    );
  });

  test('a trouble line and 2,000 more lines between two looks: the trouble is seen, no run counted twice', async () => {
    const runs = () => /\*SpotManager runs\*\\n(\d+) since the start/.exec(card())?.[1];
    // Every SpotManager run since the deploy's start, from its log (the four before it are history).
    const since = String(readFileSync(d.w.host.logPath, 'utf8').split('Get pricing from AWS').length - 1 - 4);
    await eventually(() => runs() === since, `the card to count ${since} runs`);
    const now = logTime(Date.now());
    appendFileSync(
      d.w.host.logPath,
      `${now} - WARNING: Request instance r3.xlarge failed because InsufficientInstanceCapacity\n` +
        `${Array.from({ length: 2000 }, () => `${now} - waiting for setup of 1 instances`).join('\n')}\n`,
    );
    expect(await advice('InsufficientInstanceCapacity')).toContain(
      'EC2 refused a spot request. See `/spot log` for the cause.',
    );
    await new Promise((r) => setTimeout(r, 300)); // a few more looks
    expect(runs()).toBe(since);
  });
});
