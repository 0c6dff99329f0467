import { afterEach, describe, expect, inject, test } from 'vitest';
import { startLocalStack, type LocalStack } from '../../src/main/local-stack.js';
import { ChannelView } from '../../src/sim/slack/index.js';
import { alice, CHANNEL, fourNodeCluster } from '../support/drain-fixture.js';
import { eventually } from '../support/wait.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

describe("local mode starts the ETL's stand-ins: /etl never reaches the cloud", () => {
  let stack: LocalStack | undefined;
  afterEach(async () => {
    await stack?.close();
    stack = undefined;
  });

  const start = (etlStandIns: NonNullable<Parameters<typeof startLocalStack>[0]['etlStandIns']>) =>
    startLocalStack({
      redisUrl: inject('redisUrl'),
      prefix: `localetl${process.pid}-${Date.now()}`,
      cluster: fourNodeCluster(),
      tickMs: 0,
      // A developer's real AWS key in the shell must not be what the bot uses here.
      env: {
        ...process.env,
        AWS_ACCESS_KEY_ID: 'AKIAREALACCOUNTKEY00',
        AWS_SECRET_ACCESS_KEY: 'real',
        AWS_SESSION_TOKEN: 'real-session',
      },
      estate: { approvers: { users: ['U0BOB'] } },
      etlStandIns,
    });
  const card = (s: LocalStack, needle: string) =>
    eventually(
      () => new ChannelView(s.slack, CHANNEL).texts().find((t) => t.includes(needle)),
      `a message with "${needle}"`,
      20_000,
    );

  test(
    'with an sshd: /etl status reads SpotManager on its stand-in host and the EC2/SQS stand-ins; /etl deploy ' +
      'plans a commit of the local ETL repository',
    async () => {
      stack = await start({ cronTickMs: 0 });
      expect(stack.estate.aws.endpoints.ec2).toMatch(/^http:\/\/127\.0\.0\.1:\d+/);
      expect(stack.estate.aws.endpoints.sqs).toMatch(/^http:\/\/127\.0\.0\.1:\d+/);
      expect(stack.estate.manager?.host).toBe('127.0.0.1');
      await stack.driver.command('/etl', 'status', alice);
      const status = await card(stack, 'ETL instances');
      expect(status).toContain(':large_green_circle: *enabled*');
      expect(status).toMatch(/active-data-etl\s+20\s+0/);
      expect(status).not.toMatch(/AWS refused|cannot reach/);
      await stack.driver.command('/etl', `deploy ${stack.etl!.tryDeploy}`, alice);
      expect(await card(stack, 'Deploy the ETL: etl')).toContain('Waiting for approval of *Stop SpotManager*');
    },
  );

  test(
    'without an sshd: /etl says local mode has no SpotManager host and what to install; the AWS parts still ' +
      'answer',
    async () => {
      stack = await start({
        cronTickMs: 0,
        startSshd: () => Promise.reject(new Error('sshd not found: apt-get install openssh-server')),
      });
      await stack.driver.command('/etl', 'status', alice);
      const status = await card(stack, 'ETL instances');
      expect(status).toContain(
        'local mode has no SpotManager host: it needs a private sshd, which could not start (sshd not found: ' +
          'apt-get install openssh-server). Run local mode as root, or install openssh-server',
      );
      expect(status).toMatch(/active-data-etl\s+20\s+0/);
      await stack.driver.command('/etl', 'deploy abcdef1', alice);
      const refused = await eventually(
        () =>
          new ChannelView(stack!.slack, CHANNEL)
            .ephemeralTexts(alice.user_id)
            .find((t) => t.includes('Cannot plan the ETL deploy')),
        'the refusal',
      );
      expect(refused).toContain('local mode has no SpotManager host');
    },
  );
});
