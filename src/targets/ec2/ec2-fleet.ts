import type { _InstanceType, EC2Client, Filter, Instance, SpotInstanceRequest } from '@aws-sdk/client-ec2';
import type { AwsConfig } from '../../config/estate.js';
import { AwsError, clientConfig, describeEndpoint, toAwsError } from '../aws/index.js';
import { assembleFleet, hasPrefix, isLiveRequest, priceKey } from './fleet-phase.js';
import type { Ec2Instance, EtlFleet, SpotRequest } from './fleet-types.js';

/**
 * The EC2 SDK is loaded at first use, not at start-up: it is by far the largest module a worker
 * would hold (about 64 MB of RSS on top of everything else), for the few runbooks that touch the fleet.
 */
type Ec2Sdk = typeof import('@aws-sdk/client-ec2');
let sdk: Promise<Ec2Sdk> | undefined;
const loadSdk = (): Promise<Ec2Sdk> => (sdk ??= import('@aws-sdk/client-ec2'));

/** EC2's tag filters take `*` wildcards: "every Name that starts with the prefix". */
const nameFilter = (prefix: string): Filter => ({ Name: 'tag:Name', Values: [`${prefix}*`] });
const tagValue = (tags: { Key?: string; Value?: string }[] | undefined, key: string) =>
  tags?.find((t) => t.Key === key)?.Value;

export interface TerminateResult {
  id: string;
  before?: string;
  after?: string;
}
export interface CancelResult {
  id: string;
  state?: string;
}

/**
 * SpotManager's fleet on EC2: every instance and spot request whose Name tag starts with the ETL
 * instance name (FACTS: "every instance with this Name prefix is SpotManager's"). Terminating
 * and cancelling refuse anything outside that fleet, so a wrong id can never reach another machine.
 */
export class Ec2Fleet {
  /** The SDK and the client, made on the first call. */
  private readonly connect: () => Promise<{ client: EC2Client; sdk: Ec2Sdk }>;
  private ec2?: Promise<{ client: EC2Client; sdk: Ec2Sdk }>;
  private readonly where: string;

  constructor(
    aws: AwsConfig,
    readonly namePrefix: string,
    env: NodeJS.ProcessEnv = process.env,
  ) {
    this.connect = () =>
      (this.ec2 ??= loadSdk().then((sdk) => ({ sdk, client: new sdk.EC2Client(clientConfig(aws, 'ec2', env)) })));
    this.where = describeEndpoint(aws, 'ec2');
  }

  /** Live instances (not terminated) whose Name starts with `prefix`. */
  async listInstances(prefix = this.namePrefix): Promise<Ec2Instance[]> {
    const out = await this.describeInstances([
      nameFilter(prefix),
      { Name: 'instance-state-name', Values: ['pending', 'running', 'shutting-down', 'stopping', 'stopped'] },
    ]);
    // The wildcard filter is EC2's; the prefix test is ours, so a stand-in or a `?` in a name cannot widen it.
    return out.filter((i) => hasPrefix(i.name, prefix));
  }

  /** Open and active spot requests whose Name starts with `prefix`. */
  async listSpotRequests(prefix = this.namePrefix): Promise<SpotRequest[]> {
    const out = await this.call('DescribeSpotInstanceRequests', ({ client, sdk }) =>
      client.send(
        new sdk.DescribeSpotInstanceRequestsCommand({
          Filters: [nameFilter(prefix), { Name: 'state', Values: ['open', 'active'] }],
        }),
      ),
    );
    return (out.SpotInstanceRequests ?? [])
      .map(toSpotRequest)
      .filter((r) => hasPrefix(r.name, prefix) && isLiveRequest(r));
  }

  /**
   * The ETL fleet by phase, with its hourly cost (current spot price of each instance) and
   * exposure (sum of bids). An instance launched for one of SpotManager's requests counts even
   * before SpotManager has tagged it.
   */
  async listEtlInstances(): Promise<EtlFleet> {
    const [named, requests] = await Promise.all([this.listInstances(), this.listSpotRequests()]);
    const known = new Set(named.map((i) => i.id));
    const untagged = requests.map((r) => r.instanceId).filter((id): id is string => !!id && !known.has(id));
    const extra = untagged.length
      ? (await this.describeInstances([], untagged)).filter((i) => i.state !== 'terminated')
      : [];
    const instances = [...named, ...extra];
    const prices = await this.spotPrices([
      ...new Set([...instances.map((i) => i.type), ...requests.map((r) => r.type)]),
    ]);
    return assembleFleet(instances, requests, this.namePrefix, prices);
  }

  /** Current spot price per `type/zone` (Linux/UNIX), $/hour. */
  async spotPrices(types: string[]): Promise<Map<string, number>> {
    const prices = new Map<string, { at: number; price: number }>();
    if (!types.length) return new Map();
    const out = await this.call('DescribeSpotPriceHistory', ({ client, sdk }) =>
      client.send(
        new sdk.DescribeSpotPriceHistoryCommand({
          InstanceTypes: types as _InstanceType[],
          ProductDescriptions: ['Linux/UNIX'],
          StartTime: new Date(),
        }),
      ),
    );
    for (const p of out.SpotPriceHistory ?? []) {
      if (!p.InstanceType || !p.AvailabilityZone || p.SpotPrice === undefined) continue;
      const key = priceKey(p.InstanceType, p.AvailabilityZone);
      const at = p.Timestamp?.getTime() ?? 0;
      if ((prices.get(key)?.at ?? -1) < at) prices.set(key, { at, price: Number(p.SpotPrice) });
    }
    return new Map([...prices].map(([k, v]) => [k, v.price]));
  }

  /** States of the given instances (terminated ones included), to wait until they are gone. */
  async instanceStates(ids: string[]): Promise<Map<string, string>> {
    if (!ids.length) return new Map();
    return new Map((await this.describeInstances([], ids)).map((i) => [i.id, i.state]));
  }

  /** Terminates ETL instances; refuses (changing nothing) if any id is not one of SpotManager's. */
  async terminate(ids: string[]): Promise<TerminateResult[]> {
    if (!ids.length) return [];
    const found = await this.describeInstances([], ids);
    // Not tagged yet: ours if its spot request is SpotManager's, open or just cancelled (a revert
    // cancels the requests first, so that none launches an instance after the terminate).
    const viaRequest = found.filter((i) => !hasPrefix(i.name, this.namePrefix) && i.spotRequestId);
    const requests = viaRequest.length ? await this.describeSpotRequests(viaRequest.map((i) => i.spotRequestId!)) : [];
    const ourRequests = new Set(requests.filter((r) => hasPrefix(r.name, this.namePrefix)).map((r) => r.id));
    const ours = new Set([
      ...found.filter((i) => hasPrefix(i.name, this.namePrefix)).map((i) => i.id),
      ...viaRequest.filter((i) => ourRequests.has(i.spotRequestId!)).map((i) => i.id),
    ]);
    const foreign = ids.filter((id) => !ours.has(id));
    if (foreign.length) {
      const names = foreign.map(
        (id) => `${id} (${found.find((i) => i.id === id)?.name ?? 'no such instance or no Name'})`,
      );
      throw new AwsError(
        `refusing to terminate ${names.join(', ')}: not an ETL instance ` +
          `(Name must start with "${this.namePrefix}"). Nothing was terminated.`,
        'refused',
        false,
      );
    }
    const out = await this.call('TerminateInstances', ({ client, sdk }) =>
      client.send(new sdk.TerminateInstancesCommand({ InstanceIds: ids })),
    );
    return (out.TerminatingInstances ?? []).map((t) => ({
      id: t.InstanceId ?? '',
      before: t.PreviousState?.Name,
      after: t.CurrentState?.Name,
    }));
  }

  /** Cancels SpotManager's spot requests; refuses (changing nothing) if any id is not one of its. */
  async cancelSpotRequests(ids: string[]): Promise<CancelResult[]> {
    if (!ids.length) return [];
    const ours = new Set((await this.listSpotRequests()).map((r) => r.id));
    const foreign = ids.filter((id) => !ours.has(id));
    if (foreign.length) {
      throw new AwsError(
        `refusing to cancel ${foreign.join(', ')}: not an open ETL spot request ` +
          `(Name must start with "${this.namePrefix}"). Nothing was cancelled.`,
        'refused',
        false,
      );
    }
    const out = await this.call('CancelSpotInstanceRequests', ({ client, sdk }) =>
      client.send(new sdk.CancelSpotInstanceRequestsCommand({ SpotInstanceRequestIds: ids })),
    );
    return (out.CancelledSpotInstanceRequests ?? []).map((c) => ({
      id: c.SpotInstanceRequestId ?? '',
      state: c.State,
    }));
  }

  close(): void {
    void this.ec2?.then(({ client }) => client.destroy());
  }

  /** Spot requests by id, whatever their state. */
  private async describeSpotRequests(ids: string[]): Promise<SpotRequest[]> {
    const out = await this.call('DescribeSpotInstanceRequests', ({ client, sdk }) =>
      client.send(new sdk.DescribeSpotInstanceRequestsCommand({ SpotInstanceRequestIds: ids })),
    );
    return (out.SpotInstanceRequests ?? []).map(toSpotRequest);
  }

  private async describeInstances(filters: Filter[], ids?: string[]): Promise<Ec2Instance[]> {
    const out: Ec2Instance[] = [];
    let token: string | undefined;
    do {
      const page = await this.call('DescribeInstances', ({ client, sdk }) =>
        client.send(
          new sdk.DescribeInstancesCommand({
            ...(filters.length ? { Filters: filters } : {}),
            ...(ids ? { InstanceIds: ids } : {}),
            ...(token ? { NextToken: token } : {}),
          }),
        ),
      );
      for (const r of page.Reservations ?? []) for (const i of r.Instances ?? []) out.push(toInstance(i));
      token = page.NextToken;
    } while (token);
    return out;
  }

  private async call<T>(action: string, fn: (ec2: { client: EC2Client; sdk: Ec2Sdk }) => Promise<T>): Promise<T> {
    try {
      return await fn(await this.connect());
    } catch (err) {
      throw toAwsError(err, `EC2 ${action}`, this.where);
    }
  }
}

function toInstance(i: Instance): Ec2Instance {
  const name = tagValue(i.Tags, 'Name');
  return {
    id: i.InstanceId ?? '',
    type: i.InstanceType ?? '',
    zone: i.Placement?.AvailabilityZone ?? '',
    state: i.State?.Name ?? 'unknown',
    ...(name !== undefined ? { name } : {}),
    ...(i.SpotInstanceRequestId ? { spotRequestId: i.SpotInstanceRequestId } : {}),
    ...(i.LaunchTime ? { launchedAt: i.LaunchTime.getTime() } : {}),
  };
}

function toSpotRequest(r: SpotInstanceRequest): SpotRequest {
  const name = tagValue(r.Tags, 'Name');
  const zone = r.LaunchedAvailabilityZone ?? r.LaunchSpecification?.Placement?.AvailabilityZone;
  return {
    id: r.SpotInstanceRequestId ?? '',
    state: r.State ?? 'unknown',
    type: r.LaunchSpecification?.InstanceType ?? '',
    bid: Number(r.SpotPrice ?? 0),
    ...(r.Status?.Code ? { statusCode: r.Status.Code } : {}),
    ...(r.InstanceId ? { instanceId: r.InstanceId } : {}),
    ...(zone ? { zone } : {}),
    ...(name !== undefined ? { name } : {}),
    ...(r.CreateTime ? { createdAt: r.CreateTime.getTime() } : {}),
  };
}
