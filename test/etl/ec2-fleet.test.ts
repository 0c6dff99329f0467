import {
  CreateTagsCommand,
  DescribeInstancesCommand,
  EC2Client,
  RequestSpotInstancesCommand,
} from '@aws-sdk/client-ec2';
import { afterEach, describe, expect, test } from 'vitest';
import { startAwsStandIns, wildcardMatch, type AwsStandIns } from '../../src/sim/aws/index.js';
import { AwsError } from '../../src/targets/aws/index.js';
import { Ec2Fleet } from '../../src/targets/ec2/index.js';
import { eventually } from '../support/wait.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
const ETL = 'ActiveData ETL spot instance';

describe("EC2: SpotManager's fleet by Name prefix, against the EC2 Query API simulator", () => {
  let aws: AwsStandIns;
  let client: EC2Client;
  afterEach(async () => {
    client?.destroy();
    await aws?.close();
  });

  async function start(timing = { fulfilMs: 50, bootMs: 50, shutdownMs: 50 }) {
    aws = await startAwsStandIns({ timing });
    client = new EC2Client({
      region: aws.region,
      endpoint: aws.ec2.url,
      credentials: { accessKeyId: aws.env.AWS_ACCESS_KEY_ID, secretAccessKey: aws.env.AWS_SECRET_ACCESS_KEY },
    });
    return new Ec2Fleet(aws.estateAws, ETL, aws.env);
  }

  /** A spot request as SpotManager makes it: requested, then tagged with its Name. */
  async function spot(type: string, price: string, name?: string) {
    const out = await client.send(
      new RequestSpotInstancesCommand({
        SpotPrice: price,
        InstanceCount: 1,
        Type: 'one-time',
        LaunchSpecification: {
          InstanceType: type as 'c4.large',
          ImageId: 'ami-1',
          Placement: { AvailabilityZone: 'us-west-2c' },
        },
      }),
    );
    const id = out.SpotInstanceRequests![0]!.SpotInstanceRequestId!;
    if (name) await client.send(new CreateTagsCommand({ Resources: [id], Tags: [{ Key: 'Name', Value: name }] }));
    return id;
  }

  test("the listing finds exactly SpotManager's instances and requests, by phase, with cost and exposure", async () => {
    const fleet = await start();
    // The ES spot manager's fleet, an untagged machine and one whose name only contains the prefix: none are the ETL's.
    aws.ec2.sim.launch('r3.2xlarge', 'us-west-2c', 'ami-es', undefined, undefined, [
      { key: 'Name', value: 'ActiveData ES spot instance' },
    ]);
    aws.ec2.sim.launch('m3.large', 'us-west-2c');
    aws.ec2.sim.launch('c4.large', 'us-west-2c', 'ami-x', undefined, undefined, [{ key: 'Name', value: `old ${ETL}` }]);
    await spot('r3.2xlarge', '0.5', 'ActiveData ES spot instance');
    const a = await spot('c4.xlarge', '0.0528', ETL);
    const b = await spot('c4.large', '0.0231', ETL);
    const set = await eventually(async () => {
      const f = await fleet.listEtlInstances();
      return f.counts.running === 2 ? f : undefined;
    }, 'both ETL instances running');
    expect(set.members.map((m) => m.spotRequestId).sort()).toEqual([a, b].sort());
    // A request whose price is too low stays "requested".
    const c = await spot('c4.2xlarge', '0.01', ETL);
    // SpotManager marks an instance set up by renaming it "<name> (running)".
    const inst = set.members.find((m) => m.spotRequestId === a)!.instanceId!;
    await client.send(new CreateTagsCommand({ Resources: [inst], Tags: [{ Key: 'Name', Value: `${ETL} (running)` }] }));

    const f = await fleet.listEtlInstances();
    expect(f.counts).toEqual({ requested: 1, pending: 0, running: 1, setup: 1, terminating: 0 });
    expect(f.members.find((m) => m.phase === 'requested')).toMatchObject({ id: c, type: 'c4.2xlarge', bid: 0.01 });
    expect(f.members.find((m) => m.phase === 'setup')).toMatchObject({
      instanceId: inst,
      type: 'c4.xlarge',
      zone: 'us-west-2c',
      pricePerHour: 0.048,
      bid: 0.0528,
    });
    expect(f.hourlyCost).toBe(0.069); // 0.048 + 0.021: what the two live instances cost now
    expect(f.exposure).toBe(0.0859); // 0.0528 + 0.0231 + 0.01: every open or active bid
    expect(f.instances.every((i) => i.name === undefined || i.name.startsWith(ETL))).toBe(true);
  });

  test('terminate and cancel act on the ETL fleet only; a foreign id refuses the whole call', async () => {
    const fleet = await start();
    const es = aws.ec2.sim.launch('r3.2xlarge', 'us-west-2c', 'ami-es', undefined, undefined, [
      { key: 'Name', value: 'ActiveData ES spot instance' },
    ]);
    const req = await spot('c4.large', '0.0231', ETL);
    const f = await eventually(async () => {
      const x = await fleet.listEtlInstances();
      return x.counts.running === 1 ? x : undefined;
    }, 'the ETL instance');
    const mine = f.members[0]!.instanceId!;

    await expect(fleet.terminate([mine, es.id])).rejects.toThrow(AwsError);
    await expect(fleet.terminate([mine, es.id])).rejects.toThrow(
      /refusing to terminate .*ActiveData ES spot instance.*Nothing was terminated/,
    );
    expect(aws.ec2.calls.filter((c) => c.action === 'TerminateInstances')).toEqual([]);

    expect(await fleet.terminate([mine])).toEqual([{ id: mine, before: 'running', after: 'shutting-down' }]);
    expect(aws.ec2.sim.instances.get(es.id)!.state).toBe('running');
    await eventually(async () => (await fleet.instanceStates([mine])).get(mine) === 'terminated', 'terminated');
    // Its one-time request closed with the instance; nothing of the ETL is left.
    expect((await fleet.listEtlInstances()).members).toEqual([]);
    await expect(fleet.cancelSpotRequests([req])).rejects.toThrow(/not an open ETL spot request/);

    const open = await spot('c4.2xlarge', '0.01', ETL);
    expect(await fleet.cancelSpotRequests([open])).toEqual([{ id: open, state: 'cancelled' }]);
  });

  test('wrong credentials: AuthFailure becomes a message naming the variables to check', async () => {
    await start();
    const wrong = new Ec2Fleet(aws.estateAws, ETL, { ...aws.env, AWS_SECRET_ACCESS_KEY: 'not-the-secret' });
    const err = await wrong.listEtlInstances().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AwsError);
    expect(err).toMatchObject({ kind: 'credentials', retryable: false });
    expect((err as Error).message).toMatch(
      /AWS refused the credentials \(AuthFailure.*Check AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY/,
    );
    wrong.close();
  });

  test('an unreachable endpoint is retryable and says where', async () => {
    await start();
    const gone = new Ec2Fleet(
      { ...aws.estateAws, endpoints: { ...aws.estateAws.endpoints, ec2: 'http://127.0.0.1:9' } },
      ETL,
      aws.env,
    );
    const err = await gone.listInstances().catch((e: unknown) => e);
    expect(err).toMatchObject({ kind: 'unreachable', retryable: true });
    expect((err as Error).message).toContain('cannot reach http://127.0.0.1:9');
    gone.close();
  });

  test(
    'the simulator: tag filters with wildcards, unknown filters ' + 'refused, unknown ids answered as EC2 does',
    async () => {
      await start();
      expect(wildcardMatch('ActiveData ETL*', 'ActiveData ETL spot instance (running)')).toBe(true);
      expect(wildcardMatch('ActiveData ETL*', 'old ActiveData ETL')).toBe(false);
      expect(wildcardMatch('c?.large', 'c4.large')).toBe(true);
      await expect(
        client.send(new DescribeInstancesCommand({ Filters: [{ Name: 'no-such-filter', Values: ['x'] }] })),
      ).rejects.toMatchObject({ name: 'InvalidParameterValue' });
      await expect(
        client.send(new DescribeInstancesCommand({ InstanceIds: ['i-0123456789abcdef0'] })),
      ).rejects.toMatchObject({ name: 'InvalidInstanceID.NotFound' });
    },
  );

  test('a spot instance is reclaimed when the price rises over its bid', async () => {
    const fleet = await start();
    await spot('c4.large', '0.0231', ETL);
    const f0 = await eventually(async () => {
      const x = await fleet.listEtlInstances();
      return x.counts.running === 1 ? x : undefined;
    }, 'running');
    await client.send(
      new CreateTagsCommand({
        Resources: [f0.members[0]!.instanceId!],
        Tags: [{ Key: 'Name', Value: `${ETL} (running)` }],
      }),
    );
    aws.ec2.sim.setPrice('c4.large', 'us-west-2c', 0.05);
    const f = await fleet.listEtlInstances();
    expect(f.counts.terminating).toBe(1);
    expect(f.requests).toEqual([]);
  });
});
