import {
  CancelSpotInstanceRequestsCommand,
  CreateTagsCommand,
  DescribeInstancesCommand,
  DescribeSpotInstanceRequestsCommand,
  DescribeSpotPriceHistoryCommand,
  EC2Client,
  RequestSpotInstancesCommand,
  TerminateInstancesCommand,
  type _InstanceType,
  type Instance,
  type SpotInstanceRequest,
} from '@aws-sdk/client-ec2';
import { GetQueueAttributesCommand, GetQueueUrlCommand, SQSClient } from '@aws-sdk/client-sqs';
import { pyFloat, pyList, type SpotLog } from './spot-log.js';
import { durationMs, type StandInSettings } from './stand-in-settings.js';

export interface StandInClients {
  ec2: EC2Client;
  sqs: SQSClient;
}
export interface StandInTiming {
  /** Running → set up (SpotManager's DELAY_BEFORE_SETUP plus the setup itself). */
  setupMs: number;
  /** Running but not set up after this: terminated ("Time is up"); default instance.setup_timeout. */
  setupTimeoutMs?: number;
}

/** A test's way to make one instance's setup fail: this tag on the instance. */
export const BROKEN_SETUP_TAG = 'opsbot-sim:setup';

const tag = (tags: { Key?: string; Value?: string }[] | undefined, key: string) =>
  tags?.find((t) => t.Key === key)?.Value;
const round4 = (n: number) => Math.round(n * 10_000) / 10_000;

/**
 * One SpotManager run, as the real one does it from cron: price the utility, look at its spot
 * requests and instances, set up the instances that came up, size the fleet by the work queue
 * (`max(minimum_utility, ceil(messages / 10))`) within the budget, and log every step in the
 * real program's words. State lives only in EC2 (tags), as in the real one.
 */
export async function runSpotManagerOnce(
  s: StandInSettings,
  c: StandInClients,
  log: SpotLog,
  timing: StandInTiming,
  now = Date.now,
): Promise<void> {
  const prefix = s.ec2.instance.name;
  const zone = s.availability_zone;
  const utilityOf = new Map(s.utility.map((u) => [u.instance_type, u.utility]));

  log.note('Get pricing from AWS');
  const history = await c.ec2.send(
    new DescribeSpotPriceHistoryCommand({
      InstanceTypes: [...utilityOf.keys()] as _InstanceType[],
      ProductDescriptions: ['Linux/UNIX'],
      AvailabilityZone: zone,
      StartTime: new Date(now()),
    }),
  );
  const price = new Map<string, number>();
  for (const p of [...(history.SpotPriceHistory ?? [])].sort(
    (a, b) => (a.Timestamp?.getTime() ?? 0) - (b.Timestamp?.getTime() ?? 0),
  )) {
    if (p.InstanceType && p.SpotPrice) price.set(p.InstanceType, Number(p.SpotPrice));
  }
  log.note('processing pricing data');

  const all = (await c.ec2.send(new DescribeSpotInstanceRequestsCommand({}))).SpotInstanceRequests ?? [];
  // SpotManager's own: named with its prefix, or not yet named (tagged a moment after the request).
  const mine = all.filter((r) => {
    const n = tag(r.Tags, 'Name');
    return !n || n.startsWith(prefix);
  });
  const live = mine.filter((r) => r.State === 'open' || r.State === 'active');
  const instances = new Map<string, Instance>();
  for (const res of (await c.ec2.send(new DescribeInstancesCommand({}))).Reservations ?? [])
    for (const i of res.Instances ?? []) instances.set(i.InstanceId!, i);

  const settingUp = await lifeCycle(live, instances, prefix, s, c, log, timing, now);

  let exposure = 0;
  let current = 0;
  let utility = 0;
  for (const r of live) {
    const type = r.LaunchSpecification?.InstanceType ?? '';
    exposure += Number(r.SpotPrice ?? 0);
    current += price.get(type) ?? Number(r.SpotPrice ?? 0);
    utility += utilityOf.get(type) ?? 0;
  }
  log.note(`Total Exposure: $${pyFloat(exposure)}/hour (current price: $${pyFloat(current)}/hour)`);
  let remaining = s.budget - exposure;

  const depth = await queueDepth(c.sqs, s.instance.work_queue.name);
  const required = Math.max(s.instance.minimum_utility ?? 0, Math.ceil(depth / 10));
  let need = required - utility;
  log.note(`have ${utility} utility running; need ${need} more utility`);

  const gone: SpotInstanceRequest[] = [];
  if (remaining < 0) {
    // Over budget (the budget was lowered): the most expensive first, until the bids fit again.
    const victims: SpotInstanceRequest[] = [];
    for (const r of [...live].sort((a, b) => Number(b.SpotPrice) - Number(a.SpotPrice))) {
      if (remaining >= 0) break;
      victims.push(r);
      remaining += Number(r.SpotPrice ?? 0);
      need += utilityOf.get(r.LaunchSpecification?.InstanceType ?? '') ?? 0;
    }
    await shutdown(victims, c, log, true);
    gone.push(...victims);
  } else if (need < 0) {
    const victims: SpotInstanceRequest[] = [];
    let excess = -need;
    for (const r of [...live].sort(
      (a, b) =>
        (utilityOf.get(b.LaunchSpecification?.InstanceType ?? '') ?? 0) -
        (utilityOf.get(a.LaunchSpecification?.InstanceType ?? '') ?? 0),
    )) {
      const u = utilityOf.get(r.LaunchSpecification?.InstanceType ?? '') ?? 0;
      if (u <= excess) {
        victims.push(r);
        excess -= u;
      }
    }
    await shutdown(victims, c, log, false);
    gone.push(...victims);
  }

  const made: string[] = [];
  if (need > 0) {
    need = Math.min(need, s.max_new_utility);
    ({ need, remaining } = await addInstances(need, remaining, price, s, c, log, made));
  }
  if (need > 0) {
    log.note(
      `Can not fund ${pyFloat(need, 2)} more utility (all utility costs more than ` +
        `$${pyFloat(s.max_utility_price, 2)}/hour).  Remaining budget is $${pyFloat(remaining, 2)} `,
    );
  }
  if (made.length) await c.ec2.send(new CreateTagsCommand({ Resources: made, Tags: [{ Key: 'Name', Value: prefix }] }));
  log.note('All requests for new utility have been made');

  const pending = [
    ...live.filter((r) => r.State === 'open' && !gone.includes(r)).map((r) => r.SpotInstanceRequestId!),
    ...made,
  ];
  if (pending.length) log.note(`waiting for spot requests: ${pyList(pending)}`);
  else if (settingUp) log.note(`waiting for setup of ${settingUp} instances`);
  else log.note('No more pending spot requests');
}

/** Names new instances, sets up the ones that have run long enough, gives up on broken ones. */
async function lifeCycle(
  live: SpotInstanceRequest[],
  instances: Map<string, Instance>,
  prefix: string,
  s: StandInSettings,
  c: StandInClients,
  log: SpotLog,
  timing: StandInTiming,
  now: () => number,
): Promise<number> {
  const timeout = timing.setupTimeoutMs ?? durationMs(s.instance.setup_timeout, 10 * 60_000);
  let settingUp = 0;
  for (const r of live) {
    const i = r.InstanceId ? instances.get(r.InstanceId) : undefined;
    if (!i || i.State?.Name !== 'running') continue;
    const name = tag(i.Tags, 'Name');
    if (name === `${prefix} (running)`) continue;
    const age = now() - (i.LaunchTime?.getTime() ?? now());
    if (tag(i.Tags, BROKEN_SETUP_TAG) === 'broken') {
      if (age < timeout) {
        settingUp++;
        continue;
      }
      await c.ec2.send(new TerminateInstancesCommand({ InstanceIds: [i.InstanceId!] }));
      log.warning(`Problem with setup of ${i.InstanceId}.  Time is up.  Instance TERMINATED!`);
      continue;
    }
    if (!name)
      await c.ec2.send(new CreateTagsCommand({ Resources: [i.InstanceId!], Tags: [{ Key: 'Name', Value: prefix }] }));
    if (age < timing.setupMs) {
      settingUp++;
      continue;
    }
    log.note(`setup ${i.InstanceId}`);
    await c.ec2.send(
      new CreateTagsCommand({ Resources: [i.InstanceId!], Tags: [{ Key: 'Name', Value: `${prefix} (running)` }] }),
    );
  }
  return settingUp;
}

async function addInstances(
  need: number,
  remaining: number,
  price: Map<string, number>,
  s: StandInSettings,
  c: StandInClients,
  log: SpotLog,
  made: string[],
): Promise<{ need: number; remaining: number }> {
  const options = s.utility
    .filter((u) => price.has(u.instance_type))
    .sort((a, b) => price.get(a.instance_type)! / a.utility - price.get(b.instance_type)! / b.utility);
  for (const u of options) {
    if (need <= 0 || remaining <= 0) break;
    const current = price.get(u.instance_type)!;
    const acceptable = u.utility * s.max_utility_price;
    if (current > acceptable) {
      log.note(
        `Price of $${pyFloat(current)}/hour on ${u.instance_type}: ` +
          `Over remaining acceptable price of $${pyFloat(acceptable)}/hour`,
      );
      continue;
    }
    const bid = round4(Math.min(current * 1.1, acceptable));
    const count = Math.min(Math.round(need / u.utility), s.max_requests_per_type);
    for (let k = 0; k < count; k++) {
      if (bid > remaining) {
        log.note(
          `Did not bid $${pyFloat(bid)}/hour on ${u.instance_type}: ` +
            `Over remaining budget of $${pyFloat(remaining)}/hour`,
        );
        break;
      }
      try {
        const out = await c.ec2.send(
          new RequestSpotInstancesCommand({
            SpotPrice: String(bid),
            InstanceCount: 1,
            Type: 'one-time',
            LaunchSpecification: {
              InstanceType: u.instance_type as _InstanceType,
              ImageId: s.ec2.request.image_id ?? 'ami-00000000',
              Placement: { AvailabilityZone: s.availability_zone },
            },
          }),
        );
        const ids = (out.SpotInstanceRequests ?? []).map((r) => r.SpotInstanceRequestId!);
        made.push(...ids);
        log.note(
          `Request ${ids.length} instance ${u.instance_type} in ` +
            `${s.availability_zone} with utility ${u.utility} at $${pyFloat(bid)}/hour`,
        );
        need -= u.utility * ids.length;
        remaining -= bid * ids.length;
      } catch (err) {
        const reason = (err as Error).message;
        log.warning(`Request instance ${u.instance_type} failed because ${reason}`, (err as Error).name);
        if (/Max spot instance count exceeded/i.test(reason)) {
          log.note('No further spot requests will be attempted.');
          return { need, remaining };
        }
        break;
      }
    }
  }
  return { need, remaining };
}

async function shutdown(
  victims: SpotInstanceRequest[],
  c: StandInClients,
  log: SpotLog,
  toSaveMoney: boolean,
): Promise<void> {
  if (!victims.length) return;
  const instances = victims.map((r) => r.InstanceId).filter((id): id is string => !!id);
  if (toSaveMoney) log.warning(`Shutdown ${pyList(instances)} to save money!`);
  else log.note(`Shutdown ${pyList(instances)}`);
  if (instances.length) await c.ec2.send(new TerminateInstancesCommand({ InstanceIds: instances }));
  await c.ec2.send(
    new CancelSpotInstanceRequestsCommand({ SpotInstanceRequestIds: victims.map((r) => r.SpotInstanceRequestId!) }),
  );
}

async function queueDepth(sqs: SQSClient, name: string): Promise<number> {
  const url = (await sqs.send(new GetQueueUrlCommand({ QueueName: name }))).QueueUrl;
  const a = (
    await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['ApproximateNumberOfMessages'] }))
  ).Attributes;
  return Number(a?.ApproximateNumberOfMessages ?? 0);
}
