import {
  ETL_PHASES,
  type Ec2Instance,
  type EtlFleet,
  type EtlMember,
  type EtlPhase,
  type SpotRequest,
} from './fleet-types.js';

/** True when a Name tag marks the resource as SpotManager's (SpotManager itself compares by prefix). */
export function hasPrefix(name: string | undefined, prefix: string): boolean {
  return name !== undefined && name.startsWith(prefix);
}

/** The instance's phase; undefined once it is gone (terminated, stopped). */
export function instancePhase(i: Ec2Instance, prefix: string): EtlPhase | undefined {
  switch (i.state) {
    case 'pending':
      return 'pending';
    case 'running':
      return i.name === `${prefix} (running)` ? 'setup' : 'running';
    case 'shutting-down':
    case 'stopping':
      return 'terminating';
    default:
      return undefined;
  }
}

/** Requests that still count: open ones wait for capacity or price, active ones hold an instance. */
export function isLiveRequest(r: SpotRequest): boolean {
  return r.state === 'open' || r.state === 'active';
}

/**
 * The fleet from what EC2 reported: each live instance once (with its request's bid), each open
 * request without an instance as "requested", prices from the current spot price of each.
 */
export function assembleFleet(
  instances: Ec2Instance[],
  requests: SpotRequest[],
  prefix: string,
  prices: Map<string, number>,
): EtlFleet {
  const byInstance = new Map(requests.filter((r) => r.instanceId).map((r) => [r.instanceId!, r]));
  const members: EtlMember[] = [];
  for (const i of instances) {
    const phase = instancePhase(i, prefix);
    if (!phase) continue;
    const req = byInstance.get(i.id) ?? requests.find((r) => r.id === i.spotRequestId);
    members.push({
      phase,
      id: i.id,
      instanceId: i.id,
      spotRequestId: i.spotRequestId ?? req?.id,
      type: i.type,
      zone: i.zone,
      ...(i.name !== undefined ? { name: i.name } : {}),
      ...(req ? { bid: req.bid } : {}),
      ...priceOf(prices, i.type, i.zone),
      ...(i.launchedAt !== undefined ? { launchedAt: i.launchedAt } : {}),
    });
  }
  const seen = new Set(instances.map((i) => i.id));
  for (const r of requests) {
    if (r.state !== 'open' || (r.instanceId && seen.has(r.instanceId))) continue;
    members.push({
      phase: 'requested',
      id: r.id,
      spotRequestId: r.id,
      type: r.type,
      ...(r.zone ? { zone: r.zone } : {}),
      ...(r.name ? { name: r.name } : {}),
      bid: r.bid,
    });
  }
  const counts = Object.fromEntries(ETL_PHASES.map((p) => [p, 0])) as Record<EtlPhase, number>;
  for (const m of members) counts[m.phase]++;
  const hourlyCost = round4(
    members.filter((m) => m.instanceId && m.phase !== 'terminating').reduce((s, m) => s + (m.pricePerHour ?? 0), 0),
  );
  const exposure = round4(requests.filter(isLiveRequest).reduce((s, r) => s + r.bid, 0));
  return { members, counts, hourlyCost, exposure, instances, requests };
}

function priceOf(prices: Map<string, number>, type: string, zone: string): { pricePerHour?: number } {
  const p = prices.get(priceKey(type, zone));
  return p === undefined ? {} : { pricePerHour: p };
}

export const priceKey = (type: string, zone: string): string => `${type}/${zone}`;

export function round4(n: number): number {
  return Math.round(n * 10_000) / 10_000;
}
