import { afterEach, describe, expect, test } from 'vitest';
import { mrkdwnToText } from '../../src/sim/slack/mrkdwn-to-text.js';
import { BASE_WORKERS, ETL_SETTINGS_FILE, etlSettingsFileText } from '../../src/sim/etl/index.js';
import { EVIL, expectNothingLive } from '../support/slack-sent.js';
import { eventually } from '../support/wait.js';
import { startDeployWorld, type DeployWorld } from './deploy-fixture.js';

/**
 * The ETL deploy's untrusted sources: the commit messages the push brings (anyone with push access
 * writes them) and SpotManager's log lines (which quote EC2's and the instances' own words) reach
 * the plan card and the thread escaped, in blocks and in the fallback text.
 */
describe('/etl deploy: commit messages and SpotManager lines reach Slack as literal text', () => {
  let d: DeployWorld | undefined;
  afterEach(async () => {
    await d?.close();
    d = undefined;
  });

  test('a commit message with mentions and a disguised link, on the plan card', async () => {
    d = await startDeployWorld();
    const evil = d.repo.pushCommit(`${EVIL} fix the pipeline`, {
      [ETL_SETTINGS_FILE]: etlSettingsFileText({ workers: BASE_WORKERS }),
    });
    await d.s.command('/etl', `deploy ${evil.slice(0, 10)}`);
    const card = await d.awaiting('Stop SpotManager');
    expect(d.s.text(card)).toContain(`${EVIL} fix the pipeline`); // shown as typed
    expectNothingLive(d.s.stack.slack);
  });

  test("a SpotManager trouble line quoting EC2's refusal, in the thread during step 8", async () => {
    d = await startDeployWorld();
    await d.deployToWatch();
    d.w.aws.ec2.sim.refuseRequests.set('c4.xlarge', { code: 'MaxSpotInstanceCountExceeded', message: EVIL });
    await d.w.fillQueue('active-data-etl', 30);
    await d.w.tick();
    const said = await eventually(
      async () => (await d!.thread()).find((t) => t.includes('failed because')),
      'the trouble line in the thread',
      10_000,
    );
    expect(mrkdwnToText(said)).toContain(EVIL); // read as EC2 said it
    expectNothingLive(d.s.stack.slack);
  });
});
