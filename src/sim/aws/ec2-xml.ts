import { randomUUID } from 'node:crypto';
import {
  STATE_CODES,
  type InstanceState,
  type PricePoint,
  type SimInstance,
  type SimSpotRequest,
  type Tag,
} from './ec2-types.js';

/** The namespace EC2 answers in (API version 2016-11-15, the one the SDK speaks). */
const XMLNS = 'http://ec2.amazonaws.com/doc/2016-11-15/';

/** An XML element tree: a string is text, an array is a list of `<item>`s, an object is child elements. */
export type XmlValue = string | number | boolean | undefined | XmlValue[] | { [name: string]: XmlValue };

export function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function render(name: string, v: XmlValue): string {
  if (v === undefined) return '';
  if (Array.isArray(v)) return `<${name}>${v.map((x) => render('item', x)).join('')}</${name}>`;
  if (typeof v === 'object')
    return `<${name}>${Object.entries(v)
      .map(([k, x]) => render(k, x))
      .join('')}</${name}>`;
  return `<${name}>${escapeXml(String(v))}</${name}>`;
}

/** `<ActionResponse xmlns=…><requestId>…</requestId>…</ActionResponse>` */
export function responseXml(action: string, body: Record<string, XmlValue>): string {
  const inner = Object.entries(body)
    .map(([k, v]) => render(k, v))
    .join('');
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    `<${action}Response xmlns="${XMLNS}"><requestId>${randomUUID()}</requestId>${inner}</${action}Response>`
  );
}

/** EC2's error document: `<Response><Errors><Error><Code>…` (capitalised, unlike the results). */
export function errorXml(code: string, message: string): string {
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    `<Response><Errors><Error><Code>${escapeXml(code)}</Code><Message>${escapeXml(message)}</Message></Error>` +
    `</Errors><RequestID>${randomUUID()}</RequestID></Response>`
  );
}

const iso = (ms: number) => new Date(ms).toISOString();
const tagSet = (tags: Tag[]): XmlValue => (tags.length ? tags.map((t) => ({ key: t.key, value: t.value })) : undefined);
export const stateXml = (s: InstanceState): XmlValue => ({ code: STATE_CODES[s], name: s });

export function instanceXml(i: SimInstance): XmlValue {
  return {
    instanceId: i.id,
    imageId: i.imageId,
    instanceState: stateXml(i.state),
    privateDnsName: `ip-${i.privateIp.replace(/\./g, '-')}.us-west-2.compute.internal`,
    instanceType: i.type,
    launchTime: iso(i.launchTime),
    placement: { availabilityZone: i.zone, tenancy: 'default' },
    privateIpAddress: i.state === 'terminated' ? undefined : i.privateIp,
    stateReason: i.stateReason ? { code: i.stateReason.split(':')[0]!, message: i.stateReason } : undefined,
    tagSet: tagSet(i.tags),
    instanceLifecycle: i.spotRequestId ? 'spot' : undefined,
    spotInstanceRequestId: i.spotRequestId,
  };
}

export function spotRequestXml(r: SimSpotRequest): XmlValue {
  return {
    spotInstanceRequestId: r.id,
    spotPrice: r.price.toFixed(6),
    type: r.requestType,
    state: r.state,
    status: { code: r.statusCode, updateTime: iso(r.statusAt), message: r.statusMessage },
    launchSpecification: { imageId: r.imageId, instanceType: r.type, placement: { availabilityZone: r.zone } },
    instanceId: r.instanceId,
    createTime: iso(r.createTime),
    productDescription: 'Linux/UNIX',
    tagSet: tagSet(r.tags),
    launchedAvailabilityZone: r.instanceId ? r.zone : undefined,
  };
}

export function pricePointXml(p: PricePoint): XmlValue {
  return {
    instanceType: p.type,
    productDescription: 'Linux/UNIX',
    spotPrice: p.price.toFixed(6),
    timestamp: iso(p.at),
    availabilityZone: p.zone,
  };
}
