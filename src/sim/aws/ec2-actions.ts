import { checkFilterNames, matchesFilters } from './ec2-filters.js';
import type { Ec2Sim } from './ec2-sim.js';
import { Ec2SimError } from './ec2-types.js';
import { instanceXml, pricePointXml, spotRequestXml, stateXml, type XmlValue } from './ec2-xml.js';
import type { QueryParams } from './query-params.js';

type Action = (sim: Ec2Sim, q: QueryParams) => Record<string, XmlValue>;

const INSTANCE_FILTERS = [
  'instance-id',
  'instance-state-name',
  'instance-type',
  'availability-zone',
  'instance-lifecycle',
  'spot-instance-request-id',
  'private-ip-address',
  'image-id',
];
const REQUEST_FILTERS = [
  'spot-instance-request-id',
  'state',
  'status-code',
  'instance-id',
  'launch.instance-type',
  'launched-availability-zone',
  'spot-price',
  'type',
  'product-description',
];

/** The EC2 actions the bot and the SpotManager stand-in use, in the shapes EC2 answers with. */
export const EC2_ACTIONS: Record<string, Action> = {
  DescribeInstances(sim, q) {
    sim.advance();
    const ids = q.list('InstanceId');
    const wanted = ids.map((id) => sim.getInstance(id));
    const pool = ids.length ? wanted : [...sim.instances.values()];
    const filters = q.filters();
    checkFilterNames(filters, INSTANCE_FILTERS);
    const found = pool.filter((i) =>
      matchesFilters(filters, i.tags, {
        'instance-id': i.id,
        'instance-state-name': i.state,
        'instance-type': i.type,
        'availability-zone': i.zone,
        'instance-lifecycle': i.spotRequestId ? 'spot' : undefined,
        'spot-instance-request-id': i.spotRequestId,
        'private-ip-address': i.privateIp,
        'image-id': i.imageId,
      }),
    );
    // One reservation per instance, as SpotManager's one-at-a-time requests produce.
    return {
      reservationSet: found.map((i) => ({
        reservationId: `r-${i.id.slice(2)}`,
        ownerId: '000000000000',
        groupSet: [],
        instancesSet: [instanceXml(i)],
      })),
    };
  },

  DescribeSpotInstanceRequests(sim, q) {
    sim.advance();
    const ids = q.list('SpotInstanceRequestId');
    const pool = ids.length ? ids.map((id) => sim.getRequest(id)) : [...sim.requests.values()];
    const filters = q.filters();
    checkFilterNames(filters, REQUEST_FILTERS);
    const found = pool.filter((r) =>
      matchesFilters(filters, r.tags, {
        'spot-instance-request-id': r.id,
        state: r.state,
        'status-code': r.statusCode,
        'instance-id': r.instanceId,
        'launch.instance-type': r.type,
        'launched-availability-zone': r.instanceId ? r.zone : undefined,
        'spot-price': r.price.toFixed(6),
        type: r.requestType,
        'product-description': 'Linux/UNIX',
      }),
    );
    return { spotInstanceRequestSet: found.map(spotRequestXml) };
  },

  RequestSpotInstances(sim, q) {
    const type = q.required('LaunchSpecification.InstanceType');
    const requestType = q.get('Type') ?? 'one-time';
    if (requestType !== 'one-time' && requestType !== 'persistent')
      throw new Ec2SimError('InvalidParameterValue', `Invalid value '${requestType}' for Type`);
    const made = sim.requestSpot({
      price: Number(q.required('SpotPrice')),
      type,
      zone: q.get('LaunchSpecification.Placement.AvailabilityZone') ?? q.get('AvailabilityZoneGroup') ?? 'us-west-2c',
      imageId: q.get('LaunchSpecification.ImageId') ?? 'ami-00000000',
      count: Number(q.get('InstanceCount') ?? 1),
      requestType,
      tags: q.tagSpecifications('spot-instances-request'),
    });
    return { spotInstanceRequestSet: made.map(spotRequestXml) };
  },

  TerminateInstances(sim, q) {
    const ids = q.list('InstanceId');
    if (!ids.length) throw new Ec2SimError('MissingParameter', 'The request must contain the parameter InstanceId');
    return {
      instancesSet: sim
        .terminate(ids)
        .map((t) => ({ instanceId: t.id, currentState: stateXml(t.after), previousState: stateXml(t.before) })),
    };
  },

  CancelSpotInstanceRequests(sim, q) {
    const ids = q.list('SpotInstanceRequestId');
    if (!ids.length)
      throw new Ec2SimError('MissingParameter', 'The request must contain the parameter SpotInstanceRequestId');
    return { spotInstanceRequestSet: sim.cancel(ids).map((c) => ({ spotInstanceRequestId: c.id, state: c.state })) };
  },

  CreateTags(sim, q) {
    sim.createTags(q.list('ResourceId'), q.tags());
    return { return: true };
  },

  DeleteTags(sim, q) {
    sim.deleteTags(
      q.list('ResourceId'),
      q.tags().map((t) => t.key),
    );
    return { return: true };
  },

  DescribeSpotPriceHistory(sim, q) {
    const types = q.list('InstanceType');
    const products = q.list('ProductDescription');
    const zone = q.get('AvailabilityZone');
    const start = q.get('StartTime') ? Date.parse(q.get('StartTime')!) : sim.now() - 24 * 3600_000;
    const end = q.get('EndTime') ? Date.parse(q.get('EndTime')!) : sim.now();
    if (products.length && !products.some((p) => p === 'Linux/UNIX' || p === 'Linux/UNIX (Amazon VPC)'))
      return { spotPriceHistorySet: [] };
    const keep = sim.priceHistory.filter(
      (p) => (!types.length || types.includes(p.type)) && (!zone || p.zone === zone),
    );
    // EC2 includes the price in effect at StartTime (the last change before it), then every change up to EndTime.
    const out = keep.filter((p) => p.at >= start && p.at <= end);
    const groups = new Set(keep.map((p) => `${p.type}/${p.zone}`));
    for (const g of groups) {
      const before = keep.filter((p) => `${p.type}/${p.zone}` === g && p.at < start).sort((a, b) => b.at - a.at)[0];
      if (before) out.push(before);
    }
    out.sort((a, b) => b.at - a.at);
    return { spotPriceHistorySet: out.map(pricePointXml), nextToken: '' };
  },
};
